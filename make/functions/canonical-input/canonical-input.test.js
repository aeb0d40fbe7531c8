it('ignores key order and the idempotencyKey parameter', () => {
	assert.strictEqual(
		canonicalInput('createInvoice', { b: 1, a: { d: [1, 2], c: 'x' }, idempotencyKey: '' }),
		canonicalInput('createInvoice', { a: { c: 'x', d: [1, 2] }, b: 1 }),
	);
});

it('tells actions and inputs apart', () => {
	assert.notStrictEqual(canonicalInput('createInvoice', { a: 1 }), canonicalInput('recordPayment', { a: 1 }));
	assert.notStrictEqual(canonicalInput('createInvoice', { a: 1 }), canonicalInput('createInvoice', { a: 2 }));
});

it('reads the quoted file name of Content-Disposition', () => {
	assert.strictEqual(fileNameOf({ 'content-disposition': 'inline; filename="INV-000042-qr-bill.png"' }, 'inv_1', '.png'), 'INV-000042-qr-bill.png');
	assert.strictEqual(fileNameOf({ 'content-disposition': 'attachment; filename=INV-7.pdf' }, 'inv_1', '.pdf'), 'INV-7.pdf');
});

it('falls back to the given name without the header', () => {
	assert.strictEqual(fileNameOf({}, 'inv_1', '.pdf'), 'inv_1.pdf');
});

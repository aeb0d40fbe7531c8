function canonicalInput(action, params) {
	// canonicalInput returns the action name and the module's input as JSON
	// with object keys sorted at every level, without the idempotencyKey
	// parameter. sha256 of it is the Idempotency-Key a replayed run repeats.
	function canonical(value) {
		if (Array.isArray(value)) {
			return '[' + value.map(canonical).join(',') + ']';
		}
		if (value !== null && typeof value === 'object') {
			return '{' + Object.keys(value).sort().filter(function (k) {
				return value[k] !== undefined && value[k] !== null && value[k] !== '';
			}).map(function (k) {
				return JSON.stringify(k) + ':' + canonical(value[k]);
			}).join(',') + '}';
		}
		return JSON.stringify(value === undefined ? null : value);
	}
	var rest = {};
	Object.keys(params || {}).forEach(function (k) {
		if (k !== 'idempotencyKey') {
			rest[k] = params[k];
		}
	});
	return action + '\n' + canonical(rest);
}

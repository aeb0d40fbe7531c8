import {
	NodeOperationError,
	type IDataObject,
	type IDisplayOptions,
	type IExecuteFunctions,
	type INodeProperties,
	type INodePropertyOptions,
} from 'n8n-workflow';

/** dueInDaysOption is the invoice's payment term, an option of invoice collections. */
export const dueInDaysOption: INodeProperties = {
	displayName: 'Due in Days',
	name: 'dueInDays',
	type: 'number',
	typeOptions: { minValue: 0 },
	default: 30,
};

/** finalizeOption finalizes a new invoice at once, an option of invoice collections. */
export const finalizeOption: INodeProperties = {
	displayName: 'Finalize',
	name: 'finalize',
	type: 'boolean',
	default: false,
	description: 'Whether to finalize at once: the invoice gets its number and dates',
};

/** issueDateOption dates an invoice back, an option of invoice create and finalize. */
export const issueDateOption: INodeProperties = {
	displayName: 'Issue Date',
	name: 'issueDate',
	type: 'string',
	default: '',
	placeholder: 'e.g. 2026-03-31',
	description:
		"Date the invoice was issued, in the account's time zone; today when empty. A past date dates it back (e.g. migrating from another tool); never in the future.",
};

/** invoiceStatusOptions are the statuses invoices are listed and exported by. */
export const invoiceStatusOptions: INodePropertyOptions[] = [
	{ name: 'Cancelled', value: 'cancelled' },
	{ name: 'Draft', value: 'draft' },
	{ name: 'Open', value: 'open' },
	{ name: 'Overdue', value: 'overdue' },
	{ name: 'Paid', value: 'paid' },
	{ name: 'Partially Paid', value: 'partially_paid' },
	{
		name: 'Unpaid',
		value: 'unpaid',
		description: 'Open, partially paid and overdue together',
	},
];

/** show builds displayOptions that show a field for one resource's operations. */
export function show(resource: string, operations: string[]): IDisplayOptions {
	return { show: { resource: [resource], operation: operations } };
}

/** idempotencyKeyField is the optional Idempotency-Key of a write operation. */
export function idempotencyKeyField(resource: string, operations: string[]): INodeProperties {
	return {
		displayName: 'Idempotency Key',
		name: 'idempotencyKey',
		type: 'string',
		default: '',
		placeholder: 'e.g. {{ $json.deal_id }}-invoice',
		description:
			'Sent as the Idempotency-Key header: a retry with the same key and the same input returns the first result instead of writing twice. Use a value from the incoming data, unique per write. Allowed: A-Z a-z 0-9 _ - . :',
		displayOptions: show(resource, operations),
	};
}

/** idempotencyKey reads the item's Idempotency Key parameter ('' when unset). */
export function idempotencyKey(ctx: IExecuteFunctions, i: number): string {
	return String(ctx.getNodeParameter('idempotencyKey', i, '')).trim();
}

/** addressOptions are the fields of a billing or shipping address. */
export const addressOptions: INodeProperties[] = [
	{ displayName: 'Building Number', name: 'buildingNumber', type: 'string', default: '' },
	{ displayName: 'City', name: 'city', type: 'string', default: '' },
	{
		displayName: 'Country',
		name: 'country',
		type: 'string',
		default: '',
		placeholder: 'e.g. CH',
		description: 'Two-letter ISO 3166-1 country code',
	},
	{ displayName: 'Postal Code', name: 'postalCode', type: 'string', default: '' },
	{ displayName: 'Street', name: 'street', type: 'string', default: '' },
];

/** customerFieldOptions are a customer's optional fields (Customer Fields, Update Fields). */
export const customerFieldOptions: INodeProperties[] = [
	{ displayName: 'Contact Person', name: 'contactPerson', type: 'string', default: '' },
	{
		displayName: 'Customer Number',
		name: 'customerNumber',
		type: 'string',
		default: '',
		description: 'Your own customer number; upsert matches on it after External ID',
	},
	{
		displayName: 'Email',
		name: 'email',
		type: 'string',
		placeholder: 'e.g. nathan@example.com',
		default: '',
		description: 'Upsert matches on the normalised email last',
	},
	{
		displayName: 'External ID',
		name: 'externalId',
		type: 'string',
		default: '',
		description: "The CRM's ID of this customer; upsert matches on it first",
	},
	{
		displayName: 'Kind',
		name: 'kind',
		type: 'options',
		options: [
			{ name: 'Company', value: 'company' },
			{ name: 'Person', value: 'person' },
		],
		default: 'company',
	},
	{
		displayName: 'Language',
		name: 'language',
		type: 'string',
		default: '',
		placeholder: 'e.g. de',
		description: 'Language of documents for this customer, e.g. de, fr, it, en',
	},
	{
		displayName: 'Payment Terms (Days)',
		name: 'paymentTermsDays',
		type: 'number',
		typeOptions: { minValue: 0 },
		default: 30,
	},
	{ displayName: 'Phone', name: 'phone', type: 'string', default: '' },
	{ displayName: 'VAT Number', name: 'vatNumber', type: 'string', default: '' },
];

/**
 * customerFields describes a customer's name, optional fields and addresses,
 * shown for the given operations (customer create and upsert, deal won).
 */
export function customerFields(resource: string, operations: string[]): INodeProperties[] {
	const displayOptions = show(resource, operations);
	return [
		{
			displayName: 'Name',
			name: 'name',
			type: 'string',
			required: true,
			default: '',
			description: 'Company or person name of the customer',
			displayOptions,
		},
		{
			displayName: 'Customer Fields',
			name: 'customerFields',
			type: 'collection',
			placeholder: 'Add Field',
			default: {},
			displayOptions,
			options: customerFieldOptions,
		},
		...addressCollections(displayOptions),
	];
}

/**
 * addressCollections describes a customer's Address and Shipping Address,
 * shown with the given displayOptions (customer create, upsert and update,
 * deal won); addressBodies reads them back.
 */
export function addressCollections(displayOptions: IDisplayOptions): INodeProperties[] {
	return [
		{
			displayName: 'Address',
			name: 'address',
			type: 'collection',
			placeholder: 'Add Address Field',
			default: {},
			displayOptions,
			options: addressOptions,
		},
		{
			displayName: 'Shipping Address',
			name: 'shippingAddress',
			type: 'collection',
			placeholder: 'Add Shipping Address Field',
			default: {},
			displayOptions,
			options: addressOptions,
		},
	];
}

/**
 * addressBodies reads the item's Address and Shipping Address under the API's
 * names (address, shipping_address); an address with no field set is left out.
 */
export function addressBodies(ctx: IExecuteFunctions, i: number): IDataObject {
	const body: IDataObject = {};
	for (const [parameter, key] of [
		['address', 'address'],
		['shippingAddress', 'shipping_address'],
	]) {
		const address = renameKeys(ctx.getNodeParameter(parameter, i, {}) as IDataObject, addressKeys);
		if (Object.keys(address).length > 0) {
			body[key] = address;
		}
	}
	return body;
}

/** customerKeys maps the customer fields to the API's names. */
export const customerKeys: Record<string, string> = {
	contactPerson: 'contact_person',
	customerNumber: 'customer_number',
	email: 'email',
	externalId: 'external_id',
	kind: 'kind',
	language: 'language',
	paymentTermsDays: 'payment_terms_days',
	phone: 'phone',
	vatNumber: 'vat_number',
};

/** addressKeys maps the address fields to the API's names. */
export const addressKeys: Record<string, string> = {
	buildingNumber: 'building_number',
	city: 'city',
	country: 'country',
	postalCode: 'postal_code',
	street: 'street',
};

/** renameKeys copies the set (non-empty) values of input under the API's names. */
export function renameKeys(input: IDataObject, names: Record<string, string>): IDataObject {
	const output: IDataObject = {};
	for (const [key, apiName] of Object.entries(names)) {
		const value = input[key];
		if (value === undefined || value === null || value === '') {
			continue;
		}
		output[apiName] = value;
	}
	return output;
}

/** customerBody builds the customer JSON billbridge expects from the node's fields. */
export function customerBody(ctx: IExecuteFunctions, i: number): IDataObject {
	const body: IDataObject = { name: ctx.getNodeParameter('name', i) as string };
	Object.assign(
		body,
		renameKeys(ctx.getNodeParameter('customerFields', i, {}) as IDataObject, customerKeys),
	);
	Object.assign(body, addressBodies(ctx, i));
	return body;
}

/** currencyField is the CHF/EUR choice of an invoice. */
export function currencyField(resource: string, operations: string[]): INodeProperties {
	return {
		displayName: 'Currency',
		name: 'currency',
		type: 'options',
		options: [
			{ name: 'CHF', value: 'CHF' },
			{ name: 'EUR', value: 'EUR' },
		],
		default: 'CHF',
		displayOptions: show(resource, operations),
	};
}

/** lineItemFields describes invoice line items, entered as rows or as JSON. */
export function lineItemFields(resource: string, operations: string[]): INodeProperties[] {
	const displayOptions = show(resource, operations);
	return [
		{
			displayName: 'Line Items Input',
			name: 'itemsInput',
			type: 'options',
			options: [
				{ name: 'Using Fields Below', value: 'fields' },
				{ name: 'Using JSON', value: 'json' },
			],
			default: 'fields',
			displayOptions,
		},
		{
			displayName: 'Line Items',
			name: 'lineItems',
			type: 'fixedCollection',
			typeOptions: { multipleValues: true },
			placeholder: 'Add Line Item',
			default: {},
			displayOptions: {
				show: { ...displayOptions.show, itemsInput: ['fields'] },
			},
			options: [
				{
					displayName: 'Line Item',
					name: 'item',
					values: [
						{ displayName: 'Description', name: 'description', type: 'string', default: '' },
						{ displayName: 'Quantity', name: 'quantity', type: 'number', default: 1 },
						{
							displayName: 'Unit Price',
							name: 'unitPrice',
							type: 'number',
							typeOptions: { numberPrecision: 2 },
							default: 0,
							description: 'Net price of one unit, two decimals',
						},
						{
							displayName: 'VAT Rate (%)',
							name: 'vatRate',
							type: 'number',
							typeOptions: { numberPrecision: 1 },
							default: 8.1,
							description: 'VAT rate in percent, e.g. 8.1',
						},
					],
				},
			],
		},
		{
			displayName: 'Line Items (JSON)',
			name: 'itemsJson',
			type: 'json',
			default:
				'[{"description": "Consulting", "quantity": 1, "unit_price": "100.00", "vat_rate": 8.1}]',
			description:
				'An array of {description, quantity, unit_price, vat_rate}, for example mapped from CRM deal lines',
			displayOptions: {
				show: { ...displayOptions.show, itemsInput: ['json'] },
			},
		},
	];
}

/** lineItems reads the item's line items in the shape billbridge expects. */
export function lineItems(ctx: IExecuteFunctions, i: number): IDataObject[] {
	const mode = ctx.getNodeParameter('itemsInput', i, 'fields') as string;
	if (mode === 'json') {
		const raw = ctx.getNodeParameter('itemsJson', i, '[]') as unknown;
		const parsed = typeof raw === 'string' ? parseJson(ctx, raw, i) : raw;
		if (!Array.isArray(parsed)) {
			throw new NodeOperationError(ctx.getNode(), 'Line Items (JSON) must be an array', {
				itemIndex: i,
			});
		}
		return parsed as IDataObject[];
	}
	const rows = ctx.getNodeParameter('lineItems.item', i, []) as IDataObject[];
	return rows.map((row) => ({
		description: row.description,
		quantity: row.quantity,
		unit_price: row.unitPrice,
		vat_rate: row.vatRate,
	}));
}

function parseJson(ctx: IExecuteFunctions, text: string, i: number): unknown {
	try {
		return JSON.parse(text) as unknown;
	} catch (error) {
		throw new NodeOperationError(ctx.getNode(), 'Line Items (JSON) is not valid JSON', {
			itemIndex: i,
			description: (error as Error).message,
		});
	}
}

/** returnAllFields describes the Return All switch and the Limit of a list. */
export function returnAllFields(resource: string, operations: string[]): INodeProperties[] {
	const displayOptions = show(resource, operations);
	return [
		{
			displayName: 'Return All',
			name: 'returnAll',
			type: 'boolean',
			default: false,
			description: 'Whether to return all results or only up to a given limit',
			displayOptions,
		},
		{
			displayName: 'Limit',
			name: 'limit',
			type: 'number',
			typeOptions: { minValue: 1 },
			default: 50,
			description: 'Max number of results to return',
			displayOptions: { show: { ...displayOptions.show, returnAll: [false] } },
		},
	];
}

/** listLimit reads Return All and Limit: undefined means everything. */
export function listLimit(ctx: IExecuteFunctions, i: number): number | undefined {
	if (ctx.getNodeParameter('returnAll', i, false) as boolean) {
		return undefined;
	}
	return ctx.getNodeParameter('limit', i, 50) as number;
}

/** binaryPropertyField names the binary field a file goes to (output) or comes from (input). */
export function binaryPropertyField(
	resource: string,
	operations: string[],
	displayName: string,
): INodeProperties {
	return {
		displayName,
		name: 'binaryPropertyName',
		type: 'string',
		required: true,
		default: 'data',
		hint: 'The name of the binary field',
		displayOptions: show(resource, operations),
	};
}

import {
	NodeOperationError,
	type IDataObject,
	type IDisplayOptions,
	type IExecuteFunctions,
	type ILoadOptionsFunctions,
	type INodeListSearchItems,
	type INodeListSearchResult,
	type INodeProperties,
} from 'n8n-workflow';
import { asListPage } from '../../shared/list';
import { billbridgeRequest } from '../../shared/transport';

/** A kind of record a resource locator picks: its id prefix and its API path. */
interface LocatorKind {
	/** The noun in labels and messages: customer, invoice. */
	noun: string;
	/** The id prefix before the underscore: cus, inv. */
	prefix: string;
	/** The collection's API path: /v1/customers. */
	path: string;
	/** The listSearch method of the node that fills "From List". */
	searchMethod: string;
}

const customerKind: LocatorKind = {
	noun: 'customer',
	prefix: 'cus',
	path: '/v1/customers',
	searchMethod: 'searchCustomers',
};

const invoiceKind: LocatorKind = {
	noun: 'invoice',
	prefix: 'inv',
	path: '/v1/invoices',
	searchMethod: 'searchInvoices',
};

const exampleUlid = '01JDZ8M3W6T4X9Y2Q5R7V1N0KE';

/**
 * urlRegex matches a billbridge API URL of one record (also of its files, e.g.
 * /v1/invoices/{id}/pdf) and captures the id.
 */
function urlRegex(kind: LocatorKind): string {
	return `^\\s*https?://[^\\s]+?${kind.path}/(${kind.prefix}_[0-9A-Za-z]+)(?:[/?#][^\\s]*)?\\s*$`;
}

function idRegex(kind: LocatorKind): string {
	return `^\\s*${kind.prefix}_[0-9A-Za-z]+\\s*$`;
}

/** What a locator field is built from besides its kind. */
export interface LocatorField {
	displayName: string;
	name: string;
	displayOptions?: IDisplayOptions;
	description?: string;
	/** Optional locators (a filter) may stay empty; required ones may not. */
	required?: boolean;
}

function locator(kind: LocatorKind, field: LocatorField): INodeProperties {
	const property: INodeProperties = {
		displayName: field.displayName,
		name: field.name,
		type: 'resourceLocator',
		default: { mode: 'list', value: '' },
		required: field.required ?? true,
		modes: [
			{
				displayName: 'From List',
				name: 'list',
				type: 'list',
				placeholder: `Select a ${kind.noun}...`,
				typeOptions: { searchListMethod: kind.searchMethod, searchable: true },
			},
			{
				displayName: 'By ID',
				name: 'id',
				type: 'string',
				placeholder: `e.g. ${kind.prefix}_${exampleUlid}`,
				validation: [
					{
						type: 'regex',
						properties: {
							regex: idRegex(kind),
							errorMessage: `Not a ${kind.noun} ID (${kind.prefix}_ followed by letters and digits)`,
						},
					},
				],
			},
			{
				displayName: 'By URL',
				name: 'url',
				type: 'string',
				placeholder: `e.g. https://billbridge.example.ch${kind.path}/${kind.prefix}_${exampleUlid}`,
				extractValue: { type: 'regex', regex: urlRegex(kind) },
				validation: [
					{
						type: 'regex',
						properties: {
							regex: urlRegex(kind),
							errorMessage: `Not a billbridge ${kind.noun} URL (…${kind.path}/${kind.prefix}_…)`,
						},
					},
				],
			},
		],
	};
	if (field.displayOptions) {
		property.displayOptions = field.displayOptions;
	}
	if (field.description) {
		property.description = field.description;
	}
	return property;
}

/** customerLocator asks for a customer: from a searchable list, by ID or by its API URL. */
export function customerLocator(field: LocatorField): INodeProperties {
	return locator(customerKind, field);
}

/** invoiceLocator asks for an invoice: from a searchable list, by ID or by its API URL. */
export function invoiceLocator(field: LocatorField): INodeProperties {
	return locator(invoiceKind, field);
}

/**
 * locatedId reads a locator's value as a record id, whatever its mode: the
 * id picked from the list or typed, or the id in a pasted URL. A plain string
 * (a workflow saved before the field was a locator, or a mapped value) is
 * read the same way. Empty is '' (an optional locator left empty); a URL
 * that holds no id of this kind is refused.
 */
export function locatedId(
	ctx: IExecuteFunctions,
	kind: 'customer' | 'invoice',
	value: unknown,
	i: number,
): string {
	const k = kind === 'customer' ? customerKind : invoiceKind;
	let raw: unknown = value;
	if (raw !== null && typeof raw === 'object' && 'value' in (raw as IDataObject)) {
		raw = (raw as IDataObject).value;
	}
	const text = raw === undefined || raw === null ? '' : String(raw).trim();
	if (!/^https?:\/\//i.test(text)) {
		return text;
	}
	const match = new RegExp(urlRegex(k)).exec(text);
	if (!match) {
		throw new NodeOperationError(ctx.getNode(), `Not a billbridge ${k.noun} URL: ${text}`, {
			itemIndex: i,
			description: `Paste a URL like https://billbridge.example.ch${k.path}/${k.prefix}_${exampleUlid}, or choose By ID`,
		});
	}
	return match[1];
}

/** locatorParameter reads the item's locator parameter name as a record id ('' when empty). */
export function locatorParameter(
	ctx: IExecuteFunctions,
	kind: 'customer' | 'invoice',
	name: string,
	i: number,
): string {
	return locatedId(ctx, kind, ctx.getNodeParameter(name, i, ''), i);
}

/** The page size of "From List": one request per page the user scrolls to. */
const SEARCH_PAGE_SIZE = 50;

function customerLabel(customer: IDataObject): string {
	const extra = [customer.customer_number, customer.email].filter(
		(v) => typeof v === 'string' && v,
	);
	return extra.length > 0 ? `${customer.name} (${extra.join(', ')})` : String(customer.name);
}

function invoiceLabel(invoice: IDataObject): string {
	const number = typeof invoice.number === 'string' && invoice.number ? invoice.number : 'Draft';
	const total = Number(invoice.total);
	const amount = Number.isFinite(total) ? total.toFixed(2) : String(invoice.total);
	return `${number} · ${invoice.currency} ${amount} · ${invoice.status}`;
}

/**
 * searchCustomers fills a customer locator's "From List": the account's
 * customers, found by the text typed (name, email, customer number) when
 * there is one, a page at a time.
 */
export async function searchCustomers(
	this: ILoadOptionsFunctions,
	filter?: string,
	paginationToken?: string,
): Promise<INodeListSearchResult> {
	const qs: IDataObject = { limit: SEARCH_PAGE_SIZE };
	if (filter?.trim()) {
		qs.q = filter.trim();
	}
	if (paginationToken) {
		qs.starting_after = paginationToken;
	}
	const page = asListPage(await billbridgeRequest.call(this, 'GET', customerKind.path, { qs }));
	return {
		results: page.data.map(
			(customer): INodeListSearchItems => ({
				name: customerLabel(customer),
				value: String(customer.id),
			}),
		),
		paginationToken: page.has_more && page.next_cursor ? page.next_cursor : undefined,
	};
}

/**
 * searchInvoices fills an invoice locator's "From List": the newest invoices
 * a page at a time; with text typed, the invoice of that number, else the
 * invoices of the customers whose name, email or number match it (the first
 * five customers, newest invoices first).
 */
export async function searchInvoices(
	this: ILoadOptionsFunctions,
	filter?: string,
	paginationToken?: string,
): Promise<INodeListSearchResult> {
	const text = filter?.trim() ?? '';
	const list = async (qs: IDataObject) =>
		asListPage(await billbridgeRequest.call(this, 'GET', invoiceKind.path, { qs }));
	const items = (invoices: IDataObject[]): INodeListSearchItems[] =>
		invoices.map((invoice) => ({ name: invoiceLabel(invoice), value: String(invoice.id) }));
	if (!text) {
		const qs: IDataObject = { limit: SEARCH_PAGE_SIZE };
		if (paginationToken) {
			qs.starting_after = paginationToken;
		}
		const page = await list(qs);
		return {
			results: items(page.data),
			paginationToken: page.has_more && page.next_cursor ? page.next_cursor : undefined,
		};
	}
	const byNumber = await list({ number: text, limit: SEARCH_PAGE_SIZE });
	if (byNumber.data.length > 0) {
		return { results: items(byNumber.data) };
	}
	const customers = asListPage(
		await billbridgeRequest.call(this, 'GET', customerKind.path, { qs: { q: text, limit: 5 } }),
	);
	const results: INodeListSearchItems[] = [];
	for (const customer of customers.data) {
		const page = await list({ customer_id: customer.id, limit: SEARCH_PAGE_SIZE });
		for (const item of items(page.data)) {
			results.push({ ...item, name: `${item.name} · ${customer.name}` });
		}
	}
	return { results };
}

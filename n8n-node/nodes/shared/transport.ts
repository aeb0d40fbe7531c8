import {
	NodeApiError,
	sleep,
	type IDataObject,
	type IExecuteFunctions,
	type IHookFunctions,
	type IHttpRequestMethods,
	type IHttpRequestOptions,
	type ILoadOptionsFunctions,
	type INode,
	type IPollFunctions,
	type JsonObject,
} from 'n8n-workflow';

/** The name of the credential type every billbridge node uses. */
export const CREDENTIAL_TYPE = 'billbridgeApi';

/** The n8n contexts that can send a billbridge request. */
export type BillbridgeContext =
	| IExecuteFunctions
	| IPollFunctions
	| IHookFunctions
	| ILoadOptionsFunctions;

/** What a single HTTP exchange returned, as n8n reports it with returnFullResponse. */
export interface FullResponse {
	statusCode: number;
	headers: Record<string, unknown>;
	body: unknown;
}

/** How often and how long a request waits out 429 answers. */
export interface RetryPolicy {
	/** Retries after the first attempt; 0 turns retrying off. */
	maxRetries: number;
	/** The longest Retry-After honoured, in seconds; a longer one fails at once. */
	maxWaitSeconds: number;
	/** Waits the given milliseconds; tests pass a fake. */
	wait: (ms: number) => Promise<void>;
}

/** The policy the nodes use: three retries, at most a minute each. */
export const defaultRetryPolicy: RetryPolicy = {
	maxRetries: 3,
	maxWaitSeconds: 60,
	wait: async (ms) => await sleep(ms),
};

/** How long one HTTP exchange with the gateway may take, in milliseconds. */
export const REQUEST_TIMEOUT_MS = 60_000;

/** Per-request extras: query, JSON body and an optional Idempotency-Key. */
export interface RequestExtras {
	qs?: IDataObject;
	body?: IDataObject;
	idempotencyKey?: string;
}

/**
 * retryAfterSeconds reads a Retry-After header, either delta-seconds or an
 * HTTP date, and returns whole seconds (at least 1). It returns 1 when the
 * header is missing or unreadable, so a bare 429 still backs off a little.
 */
export function retryAfterSeconds(header: unknown, now: number = Date.now()): number {
	const value = Array.isArray(header) ? header[0] : header;
	if (typeof value === 'number' && Number.isFinite(value)) {
		return Math.max(1, Math.ceil(value));
	}
	if (typeof value !== 'string' || value.trim() === '') {
		return 1;
	}
	const text = value.trim();
	if (/^\d+$/.test(text)) {
		return Math.max(1, parseInt(text, 10));
	}
	const date = Date.parse(text);
	if (Number.isNaN(date)) {
		return 1;
	}
	return Math.max(1, Math.ceil((date - now) / 1000));
}

/**
 * sendWithRetry calls send until it answers something other than 429, waiting
 * for Retry-After between attempts. It gives up, returning the last 429, after
 * policy.maxRetries retries or when the server asks for a longer wait than
 * policy.maxWaitSeconds.
 */
export async function sendWithRetry(
	send: () => Promise<FullResponse>,
	policy: RetryPolicy,
): Promise<FullResponse> {
	for (let attempt = 0; ; attempt++) {
		const response = await send();
		if (response.statusCode !== 429 || attempt >= policy.maxRetries) {
			return response;
		}
		const seconds = retryAfterSeconds(response.headers['retry-after']);
		if (seconds > policy.maxWaitSeconds) {
			return response;
		}
		await policy.wait(seconds * 1000);
	}
}

/** A field the gateway rejected, from the problem's invalid_params. */
interface InvalidParam {
	name: string;
	reason?: string;
}

/** The parts of an RFC 9457 problem the nodes show to users. */
export interface ProblemSummary {
	message: string;
	description: string;
	fields: string[];
}

/**
 * summarizeProblem turns a billbridge error response into what n8n shows: the
 * message is the problem's detail (else its title, else the status), the
 * description names every invalid field with its reason, the error code and
 * the request id, so a user can fix the input or quote the id to support.
 */
export function summarizeProblem(statusCode: number, body: unknown): ProblemSummary {
	const problem = isObject(body) ? body : {};
	const detail = stringField(problem, 'detail');
	const title = stringField(problem, 'title');
	const message = detail || title || `billbridge answered HTTP ${statusCode}`;

	const params: InvalidParam[] = Array.isArray(problem.invalid_params)
		? problem.invalid_params.filter(isObject).map((p) => ({
				name: stringField(p, 'name'),
				reason: stringField(p, 'reason'),
			}))
		: [];
	const fields = params.map((p) => p.name).filter((name) => name !== '');

	const lines: string[] = [];
	if (params.length > 0) {
		const list = params
			.filter((p) => p.name !== '')
			.map((p) => (p.reason ? `${p.name} (${p.reason})` : p.name));
		lines.push(`Invalid fields: ${list.join(', ')}`);
	}
	const existingId = stringField(problem, 'existing_id');
	if (existingId) {
		lines.push(`Existing ID: ${existingId}`);
	}
	const code = stringField(problem, 'code');
	if (code) {
		lines.push(`Code: ${code}`);
	}
	const requestId = stringField(problem, 'request_id');
	if (requestId) {
		lines.push(`Request ID: ${requestId}`);
	}
	if (title && detail && title !== detail) {
		lines.unshift(title);
	}
	return { message, description: lines.join('\n'), fields };
}

/** problemError builds the NodeApiError n8n shows for a failed billbridge call. */
export function problemError(node: INode, response: FullResponse): NodeApiError {
	const summary = summarizeProblem(response.statusCode, response.body);
	const errorBody: JsonObject = isObject(response.body) ? (response.body as JsonObject) : {};
	return new NodeApiError(node, errorBody, {
		message: summary.message,
		description: summary.description || undefined,
		httpCode: String(response.statusCode),
	});
}

/** baseUrlOf returns the credential's base URL without trailing slashes. */
export function baseUrlOf(credentials: IDataObject): string {
	const raw = typeof credentials.baseUrl === 'string' ? credentials.baseUrl : '';
	return raw.trim().replace(/\/+$/, '');
}

/**
 * exchange sends one prepared request with the node's credentials, waiting
 * out 429s (bounded by the policy), and throws a NodeApiError for any other
 * status of 400 or more. A body that arrived as bytes (downloads) is read as
 * JSON for the problem.
 */
async function exchange(
	ctx: BillbridgeContext,
	path: string,
	options: Omit<IHttpRequestOptions, 'url'>,
	policy: RetryPolicy,
): Promise<FullResponse> {
	const credentials = await ctx.getCredentials(CREDENTIAL_TYPE);
	const request: IHttpRequestOptions = {
		...options,
		url: `${baseUrlOf(credentials)}${path}`,
		ignoreHttpStatusErrors: true,
		returnFullResponse: true,
		timeout: REQUEST_TIMEOUT_MS,
	};
	const response = await sendWithRetry(async () => {
		const raw = (await ctx.helpers.httpRequestWithAuthentication.call(
			ctx,
			CREDENTIAL_TYPE,
			request,
		)) as FullResponse;
		return { statusCode: raw.statusCode, headers: raw.headers ?? {}, body: raw.body };
	}, policy);
	if (response.statusCode >= 400) {
		throw problemError(ctx.getNode(), { ...response, body: parseIfBytes(response.body) });
	}
	return response;
}

/** parseIfBytes reads a JSON body that arrived as bytes; anything else is returned as is. */
function parseIfBytes(body: unknown): unknown {
	const bytes = asBuffer(body);
	if (bytes === undefined) {
		return body;
	}
	try {
		return JSON.parse(bytes.toString('utf8')) as unknown;
	} catch {
		return {};
	}
}

/** asBuffer returns body as a Buffer when it is bytes (Buffer or ArrayBuffer), else undefined. */
export function asBuffer(body: unknown): Buffer | undefined {
	if (Buffer.isBuffer(body)) {
		return body;
	}
	if (body instanceof ArrayBuffer) {
		return Buffer.from(body);
	}
	if (ArrayBuffer.isView(body)) {
		return Buffer.from(body.buffer, body.byteOffset, body.byteLength);
	}
	return undefined;
}

/**
 * billbridgeRequest sends one request to the gateway with the node's
 * credentials and returns the parsed body. A 429 is retried after Retry-After
 * (bounded by the policy); any other status of 400 or more becomes a
 * NodeApiError carrying the problem's detail and field names.
 */
export async function billbridgeRequest(
	this: BillbridgeContext,
	method: IHttpRequestMethods,
	path: string,
	extras: RequestExtras = {},
	policy: RetryPolicy = defaultRetryPolicy,
): Promise<IDataObject> {
	const options: Omit<IHttpRequestOptions, 'url'> = {
		method,
		headers: withIdempotencyKey({ Accept: 'application/json' }, extras.idempotencyKey),
		json: true,
	};
	if (extras.qs && Object.keys(extras.qs).length > 0) {
		options.qs = extras.qs;
	}
	if (extras.body !== undefined) {
		options.body = extras.body;
	}
	const response = await exchange(this, path, options, policy);
	return isObject(response.body) ? (response.body as IDataObject) : {};
}

function withIdempotencyKey(headers: IDataObject, key: string | undefined): IDataObject {
	const trimmed = key?.trim();
	if (trimmed) {
		headers['Idempotency-Key'] = trimmed;
	}
	return headers;
}

/** A file the gateway answered with. */
export interface DownloadedFile {
	data: Buffer;
	/** The Content-Type without parameters, e.g. application/pdf. */
	mimeType: string;
	/** The file name of Content-Disposition, '' when it names none. */
	fileName: string;
}

/**
 * billbridgeDownload GETs a file (an invoice PDF, a QR-bill) as bytes, with
 * the same retries and errors as billbridgeRequest.
 */
export async function billbridgeDownload(
	this: BillbridgeContext,
	path: string,
	qs: IDataObject = {},
	policy: RetryPolicy = defaultRetryPolicy,
): Promise<DownloadedFile> {
	const options: Omit<IHttpRequestOptions, 'url'> = {
		method: 'GET',
		headers: { Accept: '*/*' },
		encoding: 'arraybuffer',
		json: false,
	};
	if (Object.keys(qs).length > 0) {
		options.qs = qs;
	}
	const response = await exchange(this, path, options, policy);
	const data = asBuffer(response.body) ?? Buffer.from(String(response.body ?? ''), 'utf8');
	return {
		data,
		mimeType: headerValue(response.headers, 'content-type').split(';')[0].trim(),
		fileName: dispositionFileName(headerValue(response.headers, 'content-disposition')),
	};
}

/** A file sent to the gateway as a multipart/form-data field. */
export interface UploadFile {
	/** The form field's name, e.g. file. */
	field: string;
	data: Buffer;
	fileName: string;
	mimeType: string;
}

/**
 * billbridgeUpload POSTs a file as multipart/form-data and returns the
 * parsed JSON answer, with the same retries and errors as billbridgeRequest.
 */
export async function billbridgeUpload(
	this: BillbridgeContext,
	path: string,
	file: UploadFile,
	idempotencyKey?: string,
	policy: RetryPolicy = defaultRetryPolicy,
): Promise<IDataObject> {
	const { body, contentType } = multipartBody(file);
	const options: Omit<IHttpRequestOptions, 'url'> = {
		method: 'POST',
		headers: withIdempotencyKey(
			{ Accept: 'application/json', 'Content-Type': contentType },
			idempotencyKey,
		),
		body,
		json: true,
	};
	const response = await exchange(this, path, options, policy);
	const parsed = parseIfBytes(response.body);
	return isObject(parsed) ? (parsed as IDataObject) : {};
}

/**
 * multipartBody encodes one file as a multipart/form-data body; quotes and
 * line breaks in the file name become underscores. The boundary is derived
 * from the file, so the same file gives the same bytes: a retry with the same
 * Idempotency-Key replays the first answer instead of being refused as
 * another request.
 */
export function multipartBody(file: UploadFile): { body: Buffer; contentType: string } {
	const safe = (s: string) => s.replace(/["\r\n\\]/g, '_');
	let boundary = `billbridge-${contentHash(file.data, `${file.field}\n${file.fileName}\n${file.mimeType}`)}`;
	while (file.data.includes(boundary)) {
		boundary += 'x';
	}
	const head =
		`--${boundary}\r\n` +
		`Content-Disposition: form-data; name="${safe(file.field)}"; filename="${safe(file.fileName)}"\r\n` +
		`Content-Type: ${safe(file.mimeType)}\r\n\r\n`;
	return {
		body: Buffer.concat([
			Buffer.from(head, 'utf8'),
			file.data,
			Buffer.from(`\r\n--${boundary}--\r\n`, 'utf8'),
		]),
		contentType: `multipart/form-data; boundary=${boundary}`,
	};
}

/**
 * contentHash returns 24 hex digits that depend on every byte of data and
 * of extra: three FNV-1a hashes with different offsets (not cryptographic;
 * it only has to tell files apart).
 */
export function contentHash(data: Buffer, extra: string): string {
	const bytes = Buffer.concat([data, Buffer.from(extra, 'utf8')]);
	return [0x811c9dc5, 0x01000193, 0x5bd1e995]
		.map((seed) => {
			let h = seed >>> 0;
			for (const byte of bytes) {
				h = Math.imul(h ^ byte, 0x01000193) >>> 0;
			}
			return h.toString(16).padStart(8, '0');
		})
		.join('');
}

function headerValue(headers: Record<string, unknown>, name: string): string {
	for (const [key, value] of Object.entries(headers)) {
		if (key.toLowerCase() === name) {
			return String(Array.isArray(value) ? value[0] : (value ?? ''));
		}
	}
	return '';
}

/** dispositionFileName reads the filename of a Content-Disposition header ('' when none). */
export function dispositionFileName(header: string): string {
	const star = /filename\*\s*=\s*(?:UTF-8|utf-8)''([^;]+)/.exec(header);
	if (star) {
		try {
			return decodeURIComponent(star[1].trim());
		} catch {
			// fall through to the plain name
		}
	}
	const plain = /filename\s*=\s*(?:"([^"]*)"|([^;\s]+))/.exec(header);
	return plain ? (plain[1] ?? plain[2] ?? '').trim() : '';
}

/** isObject reports whether value is a plain, non-array object. */
export function isObject(value: unknown): value is Record<string, unknown> {
	return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function stringField(object: Record<string, unknown>, key: string): string {
	const value = object[key];
	return typeof value === 'string' ? value : '';
}

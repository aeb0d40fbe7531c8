import type { IBinaryKeyData, IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

/**
 * FileOutput is an operation's answer that carries a file: the JSON
 * describing it and the file itself as n8n binary data.
 */
export class FileOutput {
	constructor(
		readonly json: IDataObject,
		readonly binary: IBinaryKeyData,
	) {}
}

/**
 * Operation runs one operation for input item i and returns the gateway's
 * answer: one object, a list that becomes one output item per entry, or a
 * file.
 */
export type Operation = (
	this: IExecuteFunctions,
	i: number,
) => Promise<IDataObject | IDataObject[] | FileOutput>;

/** Resource bundles a resource's parameter descriptions with its operations. */
export interface Resource {
	description: INodeProperties[];
	operations: Record<string, Operation>;
}

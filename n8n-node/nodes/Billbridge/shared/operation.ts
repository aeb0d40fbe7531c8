import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

/**
 * Operation runs one operation for input item i and returns the gateway's
 * answer: one object, or a list that becomes one output item per entry.
 */
export type Operation = (
	this: IExecuteFunctions,
	i: number,
) => Promise<IDataObject | IDataObject[]>;

/** Resource bundles a resource's parameter descriptions with its operations. */
export interface Resource {
	description: INodeProperties[];
	operations: Record<string, Operation>;
}

import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { billbridgeRequest } from '../../../shared/transport';
import { idempotencyKey, idempotencyKeyField, show } from '../../shared/fields';

const displayOptions = show('sync', ['reportError']);

export const reportErrorDescription: INodeProperties[] = [
	{
		displayName:
			"Put this node after an Error Trigger (in the workflow set as 'Error Workflow' of your billbridge workflows): the defaults below read the failed workflow's name, execution link and error message from it",
		name: 'errorTriggerNotice',
		type: 'notice',
		default: '',
		displayOptions,
	},
	{
		displayName: 'Workflow',
		name: 'workflow',
		type: 'string',
		default: '={{ $json.workflow ? $json.workflow.name : $workflow.name }}',
		placeholder: 'e.g. CRM deal won → invoice',
		description: 'The workflow that failed, up to 200 characters',
		displayOptions,
	},
	{
		displayName: 'Execution URL',
		name: 'executionUrl',
		type: 'string',
		default: "={{ $json.execution ? $json.execution.url : '' }}",
		placeholder: 'e.g. https://n8n.example.com/workflow/12/executions/3456',
		description:
			'A link to the failed execution, shown with the incident; left out when empty (n8n gives one when its editor URL is set)',
		displayOptions,
	},
	{
		displayName: 'Message',
		name: 'message',
		type: 'string',
		typeOptions: { rows: 3 },
		required: true,
		default: "={{ $json.execution && $json.execution.error ? $json.execution.error.message : '' }}",
		placeholder: 'e.g. 422 validation_failed: email must be an email address',
		description: 'What went wrong, up to 4000 characters',
		displayOptions,
	},
	idempotencyKeyField('sync', ['reportError']),
];

/**
 * reportError records a failed sync as an incident of the account (source
 * n8n), so billbridge's sync health shows it next to the other platforms'.
 */
export async function reportError(this: IExecuteFunctions, i: number): Promise<IDataObject> {
	const body: IDataObject = {
		source: 'n8n',
		message: this.getNodeParameter('message', i) as string,
	};
	const workflow = String(this.getNodeParameter('workflow', i, '')).trim();
	if (workflow !== '') {
		body.workflow = workflow;
	}
	const executionUrl = String(this.getNodeParameter('executionUrl', i, '')).trim();
	if (executionUrl !== '') {
		body.execution_url = executionUrl;
	}
	return await billbridgeRequest.call(this, 'POST', '/v1/sync/incidents', {
		body,
		idempotencyKey: idempotencyKey(this, i),
	});
}

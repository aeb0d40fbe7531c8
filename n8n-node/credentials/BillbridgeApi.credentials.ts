import type {
	IAuthenticateGeneric,
	Icon,
	ICredentialTestRequest,
	ICredentialType,
	INodeProperties,
} from 'n8n-workflow';

/**
 * BillbridgeApi holds the address of a billbridge gateway and an API key of
 * one account. Every request carries the key as a Bearer token; the test asks
 * the gateway who the key belongs to.
 */
export class BillbridgeApi implements ICredentialType {
	name = 'billbridgeApi';

	displayName = 'Billbridge API';

	icon: Icon = { light: 'file:../icons/billbridge.svg', dark: 'file:../icons/billbridge.dark.svg' };

	documentationUrl = 'https://github.com/billbridge/billbridge/tree/main/n8n-node#credentials';

	properties: INodeProperties[] = [
		{
			displayName: 'Base URL',
			name: 'baseUrl',
			type: 'string',
			default: '',
			placeholder: 'e.g. https://billbridge.example.com',
			description: 'Address of your billbridge gateway, without /v1',
			required: true,
		},
		{
			displayName: 'API Key',
			name: 'apiKey',
			type: 'string',
			typeOptions: { password: true },
			default: '',
			description: 'The key printed by "billbridge accounts create" (starts with bb_)',
			required: true,
		},
	];

	authenticate: IAuthenticateGeneric = {
		type: 'generic',
		properties: {
			headers: {
				Authorization: '=Bearer {{$credentials.apiKey}}',
			},
		},
	};

	test: ICredentialTestRequest = {
		request: {
			baseURL: '={{$credentials.baseUrl.replace(/\\/+$/, "")}}',
			url: '/v1/me',
			method: 'GET',
		},
	};
}

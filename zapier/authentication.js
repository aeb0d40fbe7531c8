'use strict';

// authentication.js: an API key and the billbridge base URL, tested by
// GET /v1/me and labelled with the account's name.

module.exports = {
  type: 'custom',
  fields: [
    {
      key: 'baseUrl',
      label: 'billbridge URL',
      required: true,
      type: 'string',
      helpText: 'The address of your billbridge, e.g. `https://billing.example.ch` (without /v1).',
    },
    {
      key: 'apiKey',
      label: 'API Key',
      required: true,
      type: 'password',
      helpText: 'Create one with `billbridge accounts create --name "Your company"`; it starts with `bb_`.',
    },
  ],
  test: async (z) => {
    const response = await z.request({ url: '/v1/me' });
    return response.data;
  },
  connectionLabel: '{{bundle.inputData.name}}',
};

'use strict';

// authentication.js: an API key and the billbridge base URL, tested by
// GET /v1/me and labelled with the account's name. The base URL is checked
// before any request (lib/http.js baseUrlProblem): https://, no trailing
// slash, no /v1; the test then proves it reachable with the key.

module.exports = {
  type: 'custom',
  fields: [
    {
      key: 'baseUrl',
      label: 'billbridge URL',
      required: true,
      type: 'string',
      helpText:
        'The address of your billbridge, e.g. `https://billing.example.ch`: it starts with `https://` and ends without a slash and without `/v1`. Whoever runs your billbridge gives it to you with the key ([where to find both](https://github.com/billbridge/billbridge/blob/main/docs/zapier.md#what-you-need)).',
    },
    {
      key: 'apiKey',
      label: 'API Key',
      required: true,
      type: 'password',
      helpText:
        'A key starting with `bb_`. Make one key per app (e.g. labelled "Zapier") as [described here](https://github.com/billbridge/billbridge/blob/main/docs/zapier.md#make-a-key-for-zapier), so you can revoke it alone.',
    },
  ],
  test: async (z) => {
    const response = await z.request({ url: '/v1/me' });
    return response.data;
  },
  connectionLabel: '{{bundle.inputData.name}}',
};

'use strict';

// index.js: the billbridge Zapier app.

const { version } = require('./package.json');
const { version: platformVersion } = require('zapier-platform-core');
const authentication = require('./authentication');
const { addAuthAndBase, throwForProblem } = require('./lib/http');
const { stashDownload } = require('./lib/files');

const byKey = (list) => Object.fromEntries(list.map((op) => [op.key, op]));

const triggers = [...require('./triggers/events'), ...require('./triggers/lists')];
const searches = [require('./searches/customer'), require('./searches/duplicates'), ...require('./searches/invoice'), ...require('./searches/dunning'), ...require('./searches/sync')];
const customers = require('./creates/customer');

const creates = [
  customers.createCustomer,
  customers.updateCustomer,
  customers.upsertCustomer,
  require('./creates/merge'),
  ...require('./creates/invoice'),
  require('./creates/payment'),
  require('./creates/deal'),
  require('./creates/bank_statement'),
  ...require('./creates/invoice_file'),
  ...require('./creates/reminder'),
  ...require('./creates/data_files'),
  require('./creates/incident'),
  require('./creates/sync').redeliverHook,
  require('./creates/sync').updateAlertSettings,
];

module.exports = {
  version,
  platformVersion,
  authentication,
  beforeRequest: [addAuthAndBase],
  afterResponse: [throwForProblem],
  // Files handed on dehydrated (exports), downloaded when a step uses them.
  hydrators: { stashDownload },
  triggers: byKey(triggers),
  searches: byKey(searches),
  creates: byKey(creates),
  searchOrCreates: {
    find_customer: {
      key: 'find_customer',
      display: {
        label: 'Find or Create Customer',
        description: 'Finds a customer by external ID, customer number or email, and creates one when none matches.',
      },
      search: 'find_customer',
      create: 'create_customer',
    },
  },
};

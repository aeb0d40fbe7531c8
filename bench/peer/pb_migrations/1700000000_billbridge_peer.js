/// <reference path="../pb_data/types.d.ts" />
// The PocketBase peer of billbridge for bench/peer/run.sh: the same data
// model, hand-built the way a PocketBase user would, each record scoped to
// its account by the API rules (as billbridge scopes every query to the
// API key's account):
//   - users gets an "account" field; one user, bench@peer.example, is in
//     account BENCH_PB_ACCOUNT;
//   - invoices with an index on (status, created), listed by its owner;
//   - customers with a unique (account, email), created by its owner;
//   - the invoices of the JSON-lines file BENCH_PB_SEED (bench/seed -dump),
//     the same ones billbridge serves.
migrate((app) => {
  const account = $os.getenv("BENCH_PB_ACCOUNT") || "acct_bench";
  const own = "@request.auth.id != '' && account = @request.auth.account";

  const users = app.findCollectionByNameOrId("users");
  users.fields.add(new TextField({ name: "account" }));
  app.save(users);

  const field = (type, name, required) => ({ type: type, name: name, required: !!required });
  const invoices = new Collection({
    type: "base",
    name: "invoices",
    listRule: own,
    viewRule: own,
    fields: [
      field("text", "account", true),
      field("text", "customer_id", true),
      field("text", "number"),
      field("text", "status", true),
      field("text", "currency", true),
      field("json", "items"),
      field("json", "vat_breakdown"),
      field("number", "subtotal"), field("number", "vat_total"), field("number", "total"),
      field("number", "amount_paid"), field("number", "amount_due"),
      field("number", "due_in_days"),
      field("text", "issue_date"),
      field("text", "due_date"),
      field("text", "payment_reference"),
      { type: "autodate", name: "created", onCreate: true },
      { type: "autodate", name: "updated", onCreate: true, onUpdate: true },
    ],
    indexes: ["CREATE INDEX idx_invoices_status_created ON invoices (status, created)"],
  });
  app.save(invoices);

  const customers = new Collection({
    type: "base",
    name: "customers",
    listRule: own,
    viewRule: own,
    createRule: "@request.auth.id != '' && @request.body.account = @request.auth.account",
    fields: [
      field("text", "account", true),
      field("text", "name", true),
      field("email", "email", true),
      field("text", "city"),
      field("text", "country"),
      { type: "autodate", name: "created", onCreate: true },
      { type: "autodate", name: "updated", onCreate: true, onUpdate: true },
    ],
    indexes: ["CREATE UNIQUE INDEX idx_customers_account_email ON customers (account, email)"],
  });
  app.save(customers);

  const user = new Record(users);
  user.set("email", "bench@peer.example");
  user.setPassword($os.getenv("BENCH_PB_PASSWORD") || "bench-peer-password");
  user.set("verified", true);
  user.set("account", account);
  app.save(user);

  const seed = $os.getenv("BENCH_PB_SEED");
  if (!seed) {
    return;
  }
  const lines = toString($os.readFile(seed)).split("\n");
  app.runInTransaction((txApp) => {
    for (const line of lines) {
      if (!line) {
        continue;
      }
      const inv = JSON.parse(line);
      const r = new Record(invoices);
      r.set("account", account);
      r.set("customer_id", inv.customer_id);
      r.set("number", inv.number || "");
      r.set("status", inv.status);
      r.set("currency", inv.currency);
      r.set("items", inv.items);
      r.set("vat_breakdown", inv.vat_breakdown);
      for (const m of ["subtotal", "vat_total", "total", "amount_paid", "amount_due"]) {
        r.set(m, parseFloat(inv[m]));
      }
      r.set("due_in_days", inv.due_in_days);
      r.set("issue_date", inv.issue_date || "");
      r.set("due_date", inv.due_date || "");
      r.set("payment_reference", inv.payment_reference || "");
      txApp.save(r);
    }
  });
}, (app) => {
  for (const name of ["customers", "invoices"]) {
    app.delete(app.findCollectionByNameOrId(name));
  }
});

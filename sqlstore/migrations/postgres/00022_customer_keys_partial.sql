-- +goose Up
-- Issue 11: the unique indexes of the customers' natural keys hold only the customers that have the key. Most
-- customers have no external_id or customer_number (and some no email): their NULL entries were index rows every
-- customer write inserted and no lookup reads (a key is looked up by "column = value", which a NULL never equals,
-- and NULLs never conflict), one more index page in every commit of new customers. Uniqueness is unchanged.
DROP INDEX customers_external_id;
DROP INDEX customers_customer_number;
DROP INDEX customers_email_key;
CREATE UNIQUE INDEX customers_external_id ON customers (account_id, external_id) WHERE external_id IS NOT NULL;
CREATE UNIQUE INDEX customers_customer_number ON customers (account_id, customer_number) WHERE customer_number IS NOT NULL;
CREATE UNIQUE INDEX customers_email_key ON customers (account_id, email_key) WHERE email_key IS NOT NULL;

-- +goose Down
DROP INDEX customers_external_id;
DROP INDEX customers_customer_number;
DROP INDEX customers_email_key;
CREATE UNIQUE INDEX customers_external_id ON customers (account_id, external_id);
CREATE UNIQUE INDEX customers_customer_number ON customers (account_id, customer_number);
CREATE UNIQUE INDEX customers_email_key ON customers (account_id, email_key);

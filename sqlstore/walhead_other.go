//go:build !unix

package sqlstore

import "errors"

// openWALHead is unix-only: elsewhere every head is read from the database.
func openWALHead(dsn, path string) (*walHead, error) {
	return nil, errors.New("WAL-index mapping needs unix")
}

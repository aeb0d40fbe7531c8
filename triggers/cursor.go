package triggers

import (
	"encoding/base64"
	"strconv"
	"strings"

	"billbridge"
)

// A cursor is an opaque position in an account's event feed: the Seq of an
// event, versioned and encoded so clients do not build them by hand.
const cursorPrefix = "bbc1."

// EncodeCursor returns the cursor of position seq.
func EncodeCursor(seq int64) string {
	return base64.RawURLEncoding.EncodeToString([]byte(cursorPrefix + strconv.FormatInt(seq, 10)))
}

// DecodeCursor returns the position of a cursor made by EncodeCursor; any
// other string is ECURSORINVALID naming param.
func DecodeCursor(param, s string) (int64, error) {
	bad := badCursor(param, "is not a valid cursor")
	if len(s) > 64 {
		return 0, bad
	}
	raw, err := base64.RawURLEncoding.DecodeString(s)
	if err != nil {
		return 0, bad
	}
	digits, ok := strings.CutPrefix(string(raw), cursorPrefix)
	if !ok || digits == "" || len(digits) > 19 || (len(digits) > 1 && digits[0] == '0') {
		return 0, bad
	}
	seq, err := strconv.ParseInt(digits, 10, 64)
	if err != nil || seq < 0 {
		return 0, bad
	}
	return seq, nil
}

// beyondHead refuses position seq of the cursor in param when it lies
// beyond latest, the account's newest event: ECURSORINVALID naming param.
func beyondHead(param string, seq, latest int64) error {
	if seq > latest {
		return badCursor(param, "is beyond this account's newest event, so billbridge did not issue it to this account")
	}
	return nil
}

func badCursor(param, reason string) *billbridge.Error {
	return &billbridge.Error{Code: billbridge.ECURSORINVALID, Message: "The cursor is not one billbridge returned.",
		Fields: []billbridge.FieldError{{Name: param, Reason: reason}}}
}

package billbridge

import "time"

// Clock tells the time. Everything in billbridge that reads the time takes
// a Clock, so tests can move it (internal/testenv has a fake one); the zero
// Clock is the system clock.
type Clock func() time.Time

// Now returns the clock's time in UTC truncated to milliseconds, the
// precision every stored and rendered timestamp has.
func (c Clock) Now() time.Time {
	if c == nil {
		return time.Now().UTC().Truncate(time.Millisecond)
	}
	return c().UTC().Truncate(time.Millisecond)
}

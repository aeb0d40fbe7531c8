package billbridge

// JaroWinkler returns the Jaro-Winkler similarity of a and b, from 0 (nothing
// in common) to 1 (equal), comparing runes: the Jaro similarity raised by 0.1
// per common leading rune (at most 4) when it is above 0.7 (Winkler's
// boost threshold). MARTHA/MARHTA scores 0.9611, DWAYNE/DUANE 0.84,
// DIXON/DICKSONX 0.8133, dupont/dupond 0.9333.
func JaroWinkler(a, b string) float64 {
	ra, rb := []rune(a), []rune(b)
	j := jaro(ra, rb)
	if j <= 0.7 {
		return j
	}
	prefix := 0
	for prefix < min(4, len(ra), len(rb)) && ra[prefix] == rb[prefix] {
		prefix++
	}
	return j + float64(prefix)*0.1*(1-j)
}

// jaro is the Jaro similarity: matches are equal runes no further apart than
// half the longer length minus one; transpositions are matches out of order.
func jaro(a, b []rune) float64 {
	if len(a) == 0 && len(b) == 0 {
		return 1
	}
	if len(a) == 0 || len(b) == 0 {
		return 0
	}
	window := max(len(a), len(b))/2 - 1
	window = max(window, 0)
	matchedA := make([]bool, len(a))
	matchedB := make([]bool, len(b))
	matches := 0
	for i, r := range a {
		for j := max(0, i-window); j < min(len(b), i+window+1); j++ {
			if !matchedB[j] && b[j] == r {
				matchedA[i], matchedB[j] = true, true
				matches++
				break
			}
		}
	}
	if matches == 0 {
		return 0
	}
	transpositions, j := 0, 0
	for i, r := range a {
		if !matchedA[i] {
			continue
		}
		for !matchedB[j] {
			j++
		}
		if r != b[j] {
			transpositions++
		}
		j++
	}
	m := float64(matches)
	return (m/float64(len(a)) + m/float64(len(b)) + (m-float64(transpositions)/2)/m) / 3
}

function fileNameOf(headers, fallback, suffix) {
	// fileNameOf returns the file name billbridge gives a document in its
	// Content-Disposition header (inline; filename="INV-000042.pdf"), or
	// fallback + suffix when the header names none.
	var cd = (headers && (headers['content-disposition'] || headers['Content-Disposition'])) || '';
	var m = /filename="([^"]+)"/.exec(cd) || /filename=([^;\s]+)/.exec(cd);
	return m ? m[1] : String(fallback || 'document') + String(suffix || '');
}

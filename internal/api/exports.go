package api

import (
	"io"
	"net/http"
)

// export streams the whole archive's JSON export or Markdown report from
// one snapshot. It is not buffered, so it carries no ETag; an error after
// the first byte can only end the stream (and is logged).
func (h *Handler) export(w http.ResponseWriter, r *http.Request) error {
	format := r.URL.Query().Get("format")
	var ct string
	switch format {
	case "", "json":
		format, ct = "json", "application/json"
	case "markdown":
		ct = "text/markdown; charset=utf-8"
	default:
		return badRequest("format must be json or markdown, not %q", format)
	}
	rec, _ := w.(*recorder)
	err := copyBody(w, ct, func(out io.Writer) error { return h.svc.Export(r.Context(), out, format) })
	if err != nil && rec != nil && rec.wrote {
		h.log.Error("export stream failed", "err", err)
		return nil
	}
	return err
}

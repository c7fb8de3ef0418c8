package web

import (
	"errors"
	"net/http"
	"strconv"
	"strings"

	"dossier/internal/pipeline"
	"dossier/internal/store"
)

// The notifications page lists the alerts the rules fired and the rules,
// and adds and deletes rules. Its forms need the write token (or the
// remembered one) and a CSRF token, as the Add page's do.

const alertsCSRFCookie = "dossier_csrf_alerts"

type alertsData struct {
	CSRF       string
	Writable   bool
	Remembered bool
	Rules      []ruleRow
	Alerts     []store.Alert
	// Rule is the rule the list is filtered by (0: all).
	Rule int64
	Next string
	// The form as posted, and what came of it.
	Kind, Value, Webhook string
	Error                string
	Created              *store.AlertRule
}

type ruleRow struct {
	store.AlertRule
	Title string
}

// alertsPage fills the page's lists.
func (h *Handler) alertsPage(w http.ResponseWriter, r *http.Request, d *alertsData) error {
	d.Writable, d.Remembered = h.opts.Token != "", h.remembered(r)
	rules, err := h.svc.AlertRules(r.Context())
	if err != nil {
		return err
	}
	for _, x := range rules {
		d.Rules = append(d.Rules, ruleRow{AlertRule: x, Title: ruleTitle(x)})
	}
	p, err := h.svc.Alerts(r.Context(), pipeline.AlertFilter{Rule: d.Rule, Cursor: r.URL.Query().Get("cursor"), Limit: 50})
	if err != nil {
		return err
	}
	d.Alerts, d.Next = p.Alerts, p.Next
	return nil
}

func ruleTitle(r store.AlertRule) string {
	switch r.Kind {
	case "story":
		return "Story " + strconv.FormatInt(r.Story, 10)
	case "entity":
		return "Entity: " + r.Value
	case "query":
		return "Search: " + r.Value
	case "figure":
		return "Figure: " + r.Value
	}
	return r.Kind
}

func (h *Handler) alerts(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Cache-Control", "no-store")
	d := alertsData{CSRF: h.csrfToken(w, r, alertsCSRFCookie, "/alerts"), Kind: "story"}
	if v := r.URL.Query().Get("rule"); v != "" {
		n, err := strconv.ParseInt(strings.TrimPrefix(v, "r"), 10, 64)
		if err != nil || n <= 0 {
			h.fail(w, r, http.StatusBadRequest, "No such rule.")
			return
		}
		d.Rule = n
	}
	if err := h.alertsPage(w, r, &d); err != nil {
		h.failErr(w, r, err)
		return
	}
	h.render(w, r, http.StatusOK, "alerts", page{Title: "Notifications", Nav: "alerts", Data: d})
}

// authorizeAlerts checks a posted form's CSRF token and write token; it
// answers the refusal itself and returns false when they do not hold.
func (h *Handler) authorizeAlerts(w http.ResponseWriter, r *http.Request, d *alertsData) (int, bool) {
	r.Body = http.MaxBytesReader(w, r.Body, 64<<10)
	if err := r.ParseForm(); err != nil {
		h.fail(w, r, http.StatusRequestEntityTooLarge, "That form is too large.")
		return 0, false
	}
	tok, ok := csrfValid(r, alertsCSRFCookie)
	if !ok {
		h.fail(w, r, http.StatusForbidden, "This form has expired or came from another site. Open the Notifications page again.")
		return 0, false
	}
	d.CSRF = tok
	if st, msg := h.authorizeWrite(w, r); st != 0 {
		d.Error = msg
		return st, false
	}
	return http.StatusOK, true
}

// addRule creates a rule from the form. A webhook's secret is shown on the
// page that answers, and never again.
func (h *Handler) addRule(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Cache-Control", "no-store")
	var d alertsData
	status, ok := h.authorizeAlerts(w, r, &d)
	if status == 0 {
		return
	}
	d.Kind, d.Value, d.Webhook = r.PostFormValue("kind"), strings.TrimSpace(r.PostFormValue("value")), strings.TrimSpace(r.PostFormValue("webhook"))
	if ok {
		n := pipeline.NewAlertRule{Webhook: d.Webhook}
		switch d.Kind {
		case "story":
			id, err := strconv.ParseInt(strings.TrimPrefix(d.Value, "s"), 10, 64)
			if err != nil || id <= 0 {
				status, d.Error = http.StatusBadRequest, "A story is followed by its number (the 12 of /stories/12)."
			}
			n.Story = id
		case "entity":
			n.Entity = d.Value
		case "query":
			n.Query = d.Value
		case "figure":
			n.Figure = d.Value
		default:
			status, d.Error = http.StatusBadRequest, "Choose what to follow."
		}
		if d.Error == "" {
			rule, err := h.svc.AddAlertRule(r.Context(), n)
			switch {
			case errors.Is(err, pipeline.ErrBadRule):
				status, d.Error = http.StatusBadRequest, ruleError(err)
			case errors.Is(err, pipeline.ErrNotFound):
				status, d.Error = http.StatusBadRequest, "There is no story "+d.Value+"."
			case err != nil:
				h.failErr(w, r, err)
				return
			default:
				d.Created, d.Value, d.Webhook = &rule, "", ""
			}
		}
	}
	if err := h.alertsPage(w, r, &d); err != nil {
		h.failErr(w, r, err)
		return
	}
	h.render(w, r, status, "alerts", page{Title: "Notifications", Nav: "alerts", Data: d})
}

func ruleError(err error) string {
	msg := err.Error()
	if i := strings.LastIndex(msg, "bad alert rule: "); i >= 0 {
		msg = msg[i+len("bad alert rule: "):]
	}
	return strings.ToUpper(msg[:1]) + msg[1:] + "."
}

// deleteRule deletes a rule and goes back to the page.
func (h *Handler) deleteRule(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Cache-Control", "no-store")
	var d alertsData
	status, ok := h.authorizeAlerts(w, r, &d)
	if status == 0 {
		return
	}
	if ok {
		id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
		if err != nil {
			h.fail(w, r, http.StatusNotFound, "No such rule.")
			return
		}
		if err := h.svc.DeleteAlertRule(r.Context(), id); err != nil {
			h.failErr(w, r, err)
			return
		}
		http.Redirect(w, r, "/alerts", http.StatusSeeOther)
		return
	}
	d.Kind = "story"
	if err := h.alertsPage(w, r, &d); err != nil {
		h.failErr(w, r, err)
		return
	}
	h.render(w, r, status, "alerts", page{Title: "Notifications", Nav: "alerts", Data: d})
}

// alertKindLabel names a kind of change for a reader.
func alertKindLabel(kind string) string {
	switch kind {
	case "new_article":
		return "New article"
	case "new_figure":
		return "New figure"
	case "changed_figure":
		return "Changed figure"
	case "new_disagreement":
		return "New disagreement"
	case "status_change":
		return "Status change"
	case "new_language":
		return "New language"
	case "new_outlet":
		return "New outlet"
	case "merge":
		return "Stories merged"
	}
	return kind
}

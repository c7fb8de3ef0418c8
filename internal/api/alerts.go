package api

import (
	"encoding/json"
	"encoding/xml"
	"errors"
	"net/http"
	"strconv"
	"strings"
	"time"

	"dossier/internal/client"
	"dossier/internal/pipeline"
	"dossier/internal/store"
)

func (h *Handler) alertRoutes() {
	h.handle("GET /v1/alerts", h.alerts)
	h.handle("GET /v1/alerts/rules", h.alertRules)
	h.handle("POST /v1/alerts/rules", h.addAlertRule)
	h.handle("GET /v1/alerts/rules/{id}", h.alertRule)
	h.handle("DELETE /v1/alerts/rules/{id}", h.deleteAlertRule)
	h.handle("GET /v1/alerts/rules/{id}/atom", h.alertAtom)
}

func ruleID(id int64) string { return "r" + strconv.FormatInt(id, 10) }

func pathRule(r *http.Request) (int64, error) {
	id, ok := parseID(r.PathValue("id"), "r")
	if !ok {
		return 0, notFound("no alert rule %q: a rule id looks like r3", r.PathValue("id"))
	}
	return id, nil
}

func renderRule(r store.AlertRule, secret bool) client.AlertRule {
	out := client.AlertRule{ID: ruleID(r.ID), Kind: r.Kind, Value: str(r.Value), Entity: str(r.Entity), Webhook: str(r.Webhook),
		Created: r.Created.UTC().Format(time.RFC3339), Atom: "/v1/alerts/rules/" + ruleID(r.ID) + "/atom"}
	if r.Story != 0 {
		out.Story = str(storyID(r.Story))
	}
	if secret {
		out.Secret = str(r.Secret)
	}
	return out
}

func renderAlert(a store.Alert) client.Alert {
	out := client.Alert{ID: a.ID, Rule: ruleID(a.Rule), Story: storyID(a.Story), StoryTitle: a.StoryTitle, Kind: a.Kind, Text: a.Text,
		Topic: str(a.Topic), Before: str(a.Before), After: str(a.After), ReportedAt: instant(a.At), FiredAt: a.Created.UTC().Format(time.RFC3339),
		Source: client.AlertSource{Site: str(a.Site), URL: str(a.URL), Archive: str(a.Archive)}}
	if a.Article != 0 {
		out.Source.Article = str(articleID(a.Article))
	}
	if a.Sentence != "" {
		out.Sentence = &client.AlertSentence{Text: a.Sentence, Lang: str(a.Lang)}
	}
	return out
}

// alertRules lists the rules (without their webhook secrets).
func (h *Handler) alertRules(w http.ResponseWriter, r *http.Request) error {
	rules, err := h.svc.AlertRules(r.Context())
	if err != nil {
		return err
	}
	out := client.AlertRuleList{Rules: make([]client.AlertRule, len(rules))}
	for i, x := range rules {
		out.Rules[i] = renderRule(x, false)
	}
	return writeJSON(w, r, http.StatusOK, out)
}

func (h *Handler) alertRule(w http.ResponseWriter, r *http.Request) error {
	id, err := pathRule(r)
	if err != nil {
		return err
	}
	rule, err := h.svc.AlertRule(r.Context(), id)
	if err != nil {
		return err
	}
	return writeJSON(w, r, http.StatusOK, renderRule(rule, false))
}

// addAlertRule creates a rule and answers it with its webhook secret, the
// only time the secret is shown.
func (h *Handler) addAlertRule(w http.ResponseWriter, r *http.Request) error {
	if ct := r.Header.Get("Content-Type"); ct != "" && !strings.HasPrefix(ct, "application/json") {
		return &apiError{http.StatusUnsupportedMediaType, "unsupported_media_type", "the body must be application/json"}
	}
	dec := json.NewDecoder(http.MaxBytesReader(w, r.Body, 64<<10))
	dec.DisallowUnknownFields()
	var req client.NewAlertRule
	if err := dec.Decode(&req); err != nil {
		var mbe *http.MaxBytesError
		if errors.As(err, &mbe) {
			return err
		}
		return badRequest("the body is not a rule: %v", err)
	}
	n := pipeline.NewAlertRule{Entity: req.Entity, Query: req.Query, Figure: req.Figure, Webhook: req.Webhook}
	if req.Story != "" {
		id, ok := parseID(req.Story, "s")
		if !ok {
			return badRequest("story must be a story id like s12, not %q", req.Story)
		}
		n.Story = id
	}
	rule, err := h.svc.AddAlertRule(r.Context(), n)
	switch {
	case errors.Is(err, pipeline.ErrBadRule):
		return badRequest("%s", strings.TrimPrefix(err.Error(), "pipeline: alert rule: "))
	case errors.Is(err, pipeline.ErrNotFound):
		return badRequest("no story %s", req.Story)
	case err != nil:
		return err
	}
	w.Header().Set("Location", "/v1/alerts/rules/"+ruleID(rule.ID))
	return writeJSON(w, r, http.StatusCreated, renderRule(rule, true))
}

func (h *Handler) deleteAlertRule(w http.ResponseWriter, r *http.Request) error {
	id, err := pathRule(r)
	if err != nil {
		return err
	}
	rule, err := h.svc.AlertRule(r.Context(), id)
	if err != nil {
		return err
	}
	if err := h.svc.DeleteAlertRule(r.Context(), id); err != nil {
		return err
	}
	return writeJSON(w, r, http.StatusOK, renderRule(rule, false))
}

// alerts lists fired alerts, newest first, of one rule or story or all.
func (h *Handler) alerts(w http.ResponseWriter, r *http.Request) error {
	q := newQuery(r)
	f := pipeline.AlertFilter{Rule: q.id("rule", "r"), Story: q.id("story", "s"), Cursor: q.str("cursor"), Limit: q.limit()}
	if q.err != nil {
		return q.err
	}
	p, err := h.svc.Alerts(r.Context(), f)
	if err != nil {
		return err
	}
	out := client.AlertList{Alerts: make([]client.Alert, len(p.Alerts)), Next: str(p.Next)}
	for i, a := range p.Alerts {
		out.Alerts[i] = renderAlert(a)
	}
	return writeJSON(w, r, http.StatusOK, out)
}

// alertAtom answers a rule's latest alerts as an Atom feed, so that a
// feed reader follows them.
func (h *Handler) alertAtom(w http.ResponseWriter, r *http.Request) error {
	id, err := pathRule(r)
	if err != nil {
		return err
	}
	rule, err := h.svc.AlertRule(r.Context(), id)
	if err != nil {
		return err
	}
	p, err := h.svc.Alerts(r.Context(), pipeline.AlertFilter{Rule: id, Limit: 100})
	if err != nil {
		return err
	}
	scheme := "http"
	if r.TLS != nil {
		scheme = "https"
	}
	b, err := AlertFeed(rule, p.Alerts, scheme+"://"+r.Host)
	if err != nil {
		return err
	}
	return writeBody(w, r, http.StatusOK, "application/atom+xml; charset=utf-8", b)
}

type atomFeed struct {
	XMLName xml.Name    `xml:"http://www.w3.org/2005/Atom feed"`
	ID      string      `xml:"id"`
	Title   string      `xml:"title"`
	Updated string      `xml:"updated"`
	Links   []atomLink  `xml:"link"`
	Author  atomAuthor  `xml:"author"`
	Entries []atomEntry `xml:"entry"`
}

type atomAuthor struct {
	Name string `xml:"name"`
}

type atomLink struct {
	Rel      string `xml:"rel,attr,omitempty"`
	Href     string `xml:"href,attr"`
	Type     string `xml:"type,attr,omitempty"`
	Title    string `xml:"title,attr,omitempty"`
	HrefLang string `xml:"hreflang,attr,omitempty"`
}

type atomText struct {
	Type string `xml:"type,attr"`
	Lang string `xml:"http://www.w3.org/XML/1998/namespace lang,attr,omitempty"`
	Body string `xml:",chardata"`
}

type atomEntry struct {
	ID        string     `xml:"id"`
	Title     string     `xml:"title"`
	Updated   string     `xml:"updated"`
	Published string     `xml:"published,omitempty"`
	Links     []atomLink `xml:"link"`
	Summary   atomText   `xml:"summary"`
	Content   atomText   `xml:"content"`
}

// AlertFeed writes a rule's alerts (newest first) as an Atom feed; base is
// the server's address, for absolute links. Each entry's id is the
// alert's, so a reader shows each change once.
func AlertFeed(rule store.AlertRule, alerts []store.Alert, base string) ([]byte, error) {
	base = strings.TrimRight(base, "/")
	self := base + "/v1/alerts/rules/" + ruleID(rule.ID) + "/atom"
	f := atomFeed{ID: "urn:dossier:alert-rule:" + strconv.FormatInt(rule.ID, 10), Title: "dossier alerts: " + ruleTitle(rule),
		Updated: rule.Created.UTC().Format(time.RFC3339), Author: atomAuthor{Name: "dossier"},
		Links: []atomLink{{Rel: "self", Href: self, Type: "application/atom+xml"}, {Rel: "alternate", Href: base + "/alerts?rule=" + strconv.FormatInt(rule.ID, 10), Type: "text/html"}}}
	for i, a := range alerts {
		if i == 0 {
			f.Updated = a.Created.UTC().Format(time.RFC3339)
		}
		e := atomEntry{ID: "urn:dossier:alert:" + a.ID, Title: a.Text, Updated: a.Created.UTC().Format(time.RFC3339),
			Links:   []atomLink{{Rel: "alternate", Href: base + "/stories/" + strconv.FormatInt(a.Story, 10), Type: "text/html", Title: a.StoryTitle}},
			Summary: atomText{Type: "text", Body: a.Text}}
		if !a.At.IsZero() {
			e.Published = a.At.UTC().Format(time.RFC3339)
		}
		if a.URL != "" {
			e.Links = append(e.Links, atomLink{Rel: "related", Href: a.URL, Title: a.Site, HrefLang: a.Lang})
		}
		if a.Archive != "" {
			e.Links = append(e.Links, atomLink{Rel: "via", Href: absolute(base, a.Archive), Title: "archived page"})
		}
		var body strings.Builder
		body.WriteString(a.Text)
		if a.Before != "" || a.After != "" {
			body.WriteString("\nBefore: " + dash(a.Before) + "\nAfter: " + dash(a.After))
		}
		if a.Sentence != "" {
			body.WriteString("\n“" + a.Sentence + "”")
		}
		if a.Site != "" || a.URL != "" {
			body.WriteString("\nSource: " + strings.TrimSpace(a.Site+" "+a.URL))
		}
		body.WriteString("\nStory: " + a.StoryTitle + " " + base + "/stories/" + strconv.FormatInt(a.Story, 10))
		e.Content = atomText{Type: "text", Lang: a.Lang, Body: body.String()}
		f.Entries = append(f.Entries, e)
	}
	out, err := xml.MarshalIndent(f, "", "  ")
	if err != nil {
		return nil, err
	}
	return append([]byte(xml.Header), append(out, '\n')...), nil
}

// absolute makes a path on this server ("/articles/3") a URL.
func absolute(base, link string) string {
	if strings.HasPrefix(link, "/") {
		return base + link
	}
	return link
}

func dash(s string) string {
	if s == "" {
		return "—"
	}
	return s
}

// ruleTitle says in a few words what a rule follows.
func ruleTitle(r store.AlertRule) string {
	switch r.Kind {
	case "story":
		return "story " + strconv.FormatInt(r.Story, 10)
	case "entity":
		return "entity " + r.Value
	case "query":
		return "search “" + r.Value + "”"
	case "figure":
		return "figure “" + r.Value + "”"
	}
	return r.Kind
}

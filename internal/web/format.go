package web

import (
	"fmt"
	"html/template"
	"math"
	"net/url"
	"strconv"
	"strings"
	"time"

	"dossier/internal/news"
	"dossier/internal/story"
)

// rtl lists the right-to-left languages dossier may meet.
var rtl = map[string]bool{"ar": true, "fa": true, "he": true, "ur": true, "ps": true, "yi": true, "ckb": true, "sd": true, "ug": true}

// textAttrs returns the lang and dir attributes of a text in language l:
// dir="rtl" for right-to-left scripts, dir="auto" when the language is
// unknown, so the browser decides from the first strong character.
func textAttrs(l string) template.HTMLAttr {
	if l == "" || l == "und" {
		return `dir="auto"`
	}
	d := "ltr"
	if rtl[l] {
		d = "rtl"
	}
	return template.HTMLAttr(`lang="` + template.HTMLEscapeString(l) + `" dir="` + d + `"`)
}

var funcs = template.FuncMap{
	"attrs":     textAttrs,
	"date":      fmtDate,
	"datetime":  fmtDatetime,
	"isodate":   func(t time.Time) string { return isoDate(t) },
	"span":      fmtSpan,
	"num":       fmtNum,
	"figure":    fmtFigure,
	"counts":    fmtCounts,
	"langcount": fmtLangCounts,
	"esc":       url.PathEscape,
	"qesc":      url.QueryEscape,
	"add":       func(a, b int) int { return a + b },
	"langname":  langName,
	"refattrs":  refAttrs,
	"kindlabel": alertKindLabel,
	"top": func(n int, cs []story.Count) []story.Count {
		if len(cs) > n {
			return cs[:n]
		}
		return cs
	},
	"plural": func(n int, one, many string) string {
		if n == 1 {
			return "1 " + one
		}
		return fmtNum(float64(n)) + " " + many
	},
}

func fmtDate(t time.Time) string {
	if t.IsZero() {
		return "unknown"
	}
	return t.UTC().Format("2 Jan 2006")
}

func fmtDatetime(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	t = t.UTC()
	if t.Hour() == 0 && t.Minute() == 0 && t.Second() == 0 {
		return t.Format("2006-01-02")
	}
	return t.Format(time.RFC3339)
}

func isoDate(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.UTC().Format("2006-01-02")
}

// fmtSpan writes a range of days as a person would: one day, a month, a
// year, or two dates.
func fmtSpan(a, b time.Time) string {
	a, b = a.UTC(), b.UTC()
	switch {
	case a.IsZero() && b.IsZero():
		return "undated"
	case a.IsZero():
		return "by " + fmtDate(b)
	case b.IsZero():
		return "from " + fmtDate(a)
	case a.Equal(b) || isoDate(a) == isoDate(b):
		return fmtDate(a)
	case a.Day() == 1 && a.Month() == time.January && b.Month() == time.December && b.Day() == 31 && a.Year() == b.Year():
		return strconv.Itoa(a.Year())
	case a.Day() == 1 && a.Year() == b.Year() && a.Month() == b.Month() && b.AddDate(0, 0, 1).Day() == 1:
		return a.Format("Jan 2006")
	}
	return fmtDate(a) + " – " + fmtDate(b)
}

// fmtNum writes a number with thousands separators and no needless decimals.
func fmtNum(v float64) string {
	if math.IsNaN(v) || math.IsInf(v, 0) {
		return "?"
	}
	neg := v < 0
	v = math.Abs(v)
	whole := math.Floor(v)
	s := strconv.FormatFloat(whole, 'f', 0, 64)
	var b strings.Builder
	for i, c := range s {
		if i > 0 && (len(s)-i)%3 == 0 {
			b.WriteByte(',')
		}
		b.WriteRune(c)
	}
	if frac := v - whole; frac > 1e-9 {
		f := strconv.FormatFloat(frac, 'f', 2, 64)
		f = strings.TrimRight(strings.TrimPrefix(f, "0"), "0")
		if f != "." {
			b.WriteString(f)
		}
	}
	if neg {
		return "−" + b.String()
	}
	return b.String()
}

// fmtFigure writes a figure's value with its hedge: "about 12,000",
// "300–600".
func fmtFigure(f news.Figure) string {
	v := fmtNum(f.Value)
	if f.IsRange {
		v = fmtNum(f.Low) + "–" + fmtNum(f.High)
	}
	if f.Qualifier != "" {
		v = f.Qualifier + " " + v
	}
	return v
}

// fmtCounts writes counts as "en 12 · ar 3".
func fmtCounts(cs []story.Count) string {
	parts := make([]string, 0, len(cs))
	for _, c := range cs {
		k := c.Key
		if k == "" {
			k = "?"
		}
		parts = append(parts, fmt.Sprintf("%s %d", k, c.N))
	}
	return strings.Join(parts, " · ")
}

func fmtLangCounts(cs []story.Count) string { return fmtCounts(cs) }

var langNames = map[string]string{"en": "English", "ar": "Arabic", "zh": "Chinese", "de": "German", "fr": "French", "es": "Spanish",
	"ru": "Russian", "uk": "Ukrainian", "it": "Italian", "pl": "Polish", "tr": "Turkish", "ko": "Korean", "ja": "Japanese",
	"fa": "Persian", "he": "Hebrew", "ms": "Malay", "pt": "Portuguese", "nl": "Dutch"}

func langName(l string) string {
	if n, ok := langNames[l]; ok {
		return n
	}
	if l == "" {
		return "unknown"
	}
	return l
}

// refAttrs returns the text attributes of the language of the first of
// articles ids (a quote taken from it).
func refAttrs(refs map[int64]story.ArticleRef, ids []int64) template.HTMLAttr {
	if len(ids) == 0 {
		return textAttrs("")
	}
	return textAttrs(refs[ids[0]].Language)
}

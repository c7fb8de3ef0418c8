package facts

import (
	"strings"

	"dossier/internal/lazyre"
)

// Claim is a clause an article attributes to someone.
type Claim struct {
	Text string
	By   string
	// Contrast is set when the clause pushes back: "still", "not",
	// "insisted", "denied", "لا يزال", "نفى".
	Contrast bool
}

// reClause splits a sentence where a second claim begins: ", though",
// "; but", "بينما" …
var reClause = lazyre.New(`(?i),\s+(?:though|although|but|while|whereas)\s+|;\s*(?:but\s+)?|\s+(?:لكن|ولكن|بينما|في حين)\s+`)

var reContrast = lazyre.New(`(?i)(?:^|[^\pL])(still|not|no longer|never|denied|denies|deny|insisted|insists|rejected|disputed|لا يزال|ما زال|لا تزال|ما زالت|نفى|نفت|لم|ليس|رفض|رفضت)(?:$|[^\pL])`)

// clauses splits a sentence where reClause does; a sentence without a
// comma, a semicolon or an Arabic conjunction of reClause (most) is one
// clause, and is not run through the expression.
func clauses(s string) []string {
	if !strings.ContainsAny(s, ",;") && !strings.Contains(s, "لكن") && !strings.Contains(s, "بينما") && !strings.Contains(s, "في حين") {
		return []string{s}
	}
	return reClause.Split(s, -1)
}

// Claims returns the attributed clauses of text.
func Claims(text string) []Claim {
	var out []Claim
	for _, s := range Sentences(text) {
		for _, clause := range clauses(s.Text) {
			ts := tokenize(clause)
			norm := make([]string, len(ts))
			for i, t := range ts {
				norm[i] = stripArabic(t.low)
			}
			attrs := attributions(clause, ts, norm)
			if len(attrs) == 0 {
				continue
			}
			out = append(out, Claim{Text: strings.TrimSpace(clause), By: attrs[0].who, Contrast: reContrast.MatchString(clause)})
		}
	}
	return out
}

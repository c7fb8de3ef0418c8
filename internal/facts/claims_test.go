package facts

import (
	"slices"
	"testing"

	"dossier/internal/sharedtest"
)

// TestClausesAsExpression: the short cut in clauses never changes what
// reClause would split, on the sentences of the 181 AEB articles and on
// the cases the expression is for.
func TestClausesAsExpression(t *testing.T) {
	texts := []string{
		"Moscow said it was still holding, though Kyiv denied it.",
		"The army advanced; but the town held",
		"قال الجيش إنه تقدم لكن المدينة صمدت",
		"قال الجيش إنه تقدم بينما نفت كييف ذلك",
		"No comma here at all",
		"",
	}
	for _, text := range sharedtest.AEBTexts(t) {
		for _, s := range Sentences(text) {
			texts = append(texts, s.Text)
		}
	}
	split := 0
	for _, s := range texts {
		got, want := clauses(s), reClause.Split(s, -1)
		if !slices.Equal(got, want) {
			t.Errorf("clauses(%q) = %q, want %q", s, got, want)
		}
		if len(want) > 1 {
			split++
		}
	}
	if split < 10 {
		t.Errorf("only %d of %d sentences split: the test does not exercise the expression", split, len(texts))
	}
}

package timex

import (
	"strings"
	"testing"

	"dossier/internal/sharedtest"
)

// A rule's need is a cheaper condition that every match of its expression
// meets: where the expression matches, the need must hold, or Tag would
// skip a date. Checked on the sentences of the AEB articles and on forms
// written for the test.
func TestNeedsHoldWhereRulesMatch(t *testing.T) {
	texts := []string{
		"midjanuary", "in mid-January 2020", "Sept. 5", "SEPTEMBER 5, 2013", "on 5 Feb.", "late last July",
		"May last year", "the 1990s", "in 1648", "2013-03-22", "١٢ أبريل", "أواخر عام 2024", "5 تموز 2020",
		"this fiscal year", "next quarter", "three years ago", "منذ ثلاثة أشهر", "last Friday",
		"laſt week", "laſt May", "Auguſt 5, 2020", "thiſ year", // the long s, an s to the rules
	}
	for _, body := range sharedtest.AEBTexts(t) {
		texts = append(texts, strings.SplitAfter(body, ". ")...)
	}
	matched := 0
	for i, r := range rules {
		if r.need == nil {
			continue
		}
		for _, s := range texts {
			if r.re.FindStringIndex(s) == nil {
				continue
			}
			matched++
			if !r.need(lowerForRules(s)) {
				t.Errorf("rule %d (%.60s…) matches %q but its need does not hold", i, r.re().String(), s)
			}
		}
	}
	if matched < 500 {
		t.Errorf("only %d matches checked: the corpus is not what it was", matched)
	}
}

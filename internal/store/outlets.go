package store

import (
	"sort"
	"time"
)

// Outlets gathers the per-site, per-language counts a backend reads into
// the outlet list every backend returns: most articles first, each
// outlet's languages most first.
type Outlets struct {
	bySite map[string]*Outlet
	order  []*Outlet
}

// Add counts n articles of site in lang, dated from first to last.
func (o *Outlets) Add(site, lang string, n int, first, last time.Time) {
	if o.bySite == nil {
		o.bySite = map[string]*Outlet{}
	}
	x := o.bySite[site]
	if x == nil {
		x = &Outlet{Site: site}
		o.bySite[site] = x
		o.order = append(o.order, x)
	}
	x.Articles += n
	x.Languages = append(x.Languages, LangCount{Language: lang, N: n})
	if !first.IsZero() && (x.First.IsZero() || first.Before(x.First)) {
		x.First = first
	}
	if last.After(x.Last) {
		x.Last = last
	}
}

// List returns the outlets gathered, sorted.
func (o *Outlets) List() []Outlet {
	res := make([]Outlet, 0, len(o.order))
	for _, x := range o.order {
		sort.Slice(x.Languages, func(i, j int) bool {
			if x.Languages[i].N != x.Languages[j].N {
				return x.Languages[i].N > x.Languages[j].N
			}
			return x.Languages[i].Language < x.Languages[j].Language
		})
		res = append(res, *x)
	}
	sort.Slice(res, func(i, j int) bool {
		if res[i].Articles != res[j].Articles {
			return res[i].Articles > res[j].Articles
		}
		return res[i].Site < res[j].Site
	})
	return res
}

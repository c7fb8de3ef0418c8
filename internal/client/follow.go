package client

import (
	"context"
	"net/http"
	"net/url"
)

// Followed is a followed source (a feed, a news sitemap or a page) with its
// state. Its id is prefixed "src".
type Followed struct {
	ID  string `json:"id"`
	URL string `json:"url"`
	// Kind is feed, sitemap or page; null until the first check.
	Kind      *string `json:"kind"`
	Title     string  `json:"title"`
	Added     string  `json:"added"`
	LastCheck *string `json:"last_check"`
	LastNew   *string `json:"last_new"`
	NextCheck string  `json:"next_check"`
	// Errors counts the checks that failed in a row; LastError says why
	// the last failed and when the next try is.
	Errors    int     `json:"errors"`
	LastError *string `json:"last_error"`
	ItemsSeen int     `json:"items_seen"`
}

// FollowedDetail is one followed source with its latest items.
type FollowedDetail struct {
	Followed
	Items []FollowedItem `json:"items"`
}

// FollowedItem is a page a source listed, and whether it was fetched.
type FollowedItem struct {
	URL       string  `json:"url"`
	Title     string  `json:"title"`
	State     string  `json:"state"`
	Attempts  int     `json:"attempts"`
	NextTry   *string `json:"next_try"`
	LastError *string `json:"last_error"`
	Fetched   *string `json:"fetched"`
}

// FollowedList is the followed sources.
type FollowedList struct {
	Sources []Followed `json:"sources"`
}

// FollowRequest adds a source: its URL, and optionally its kind (feed,
// sitemap, page) and a title.
type FollowRequest struct {
	URL   string `json:"url"`
	Kind  string `json:"kind,omitempty"`
	Title string `json:"title,omitempty"`
}

// OPMLImport says what importing a subscription list did.
type OPMLImport struct {
	Added   int `json:"added"`
	Existed int `json:"existed"`
}

// ArticleHistory is an article's later versions, with the figures that
// changed in each, and its archived captures.
type ArticleHistory struct {
	Article  string           `json:"article"`
	Versions []ArticleVersion `json:"versions"`
	Captures []Capture        `json:"captures"`
}

// ArticleVersion is a later version of an article (1 is the original).
type ArticleVersion struct {
	Version  int            `json:"version"`
	Captured *string        `json:"captured"`
	Title    string         `json:"title"`
	Changes  []FigureChange `json:"changes"`
}

// FigureChange is a figure whose value changed between two versions: old
// is null for a figure added, new null for one dropped.
type FigureChange struct {
	Quantity string  `json:"quantity"`
	Old      *string `json:"old"`
	New      *string `json:"new"`
	Sentence string  `json:"sentence"`
	At       string  `json:"at"`
}

// Capture is an archived response of one of an article's pages; Href
// serves it as captured.
type Capture struct {
	N        int    `json:"n"`
	URL      string `json:"url"`
	Captured string `json:"captured"`
	Status   int    `json:"status"`
	Href     string `json:"href"`
}

// Follow follows a source (POST /v1/following; needs the token).
func (c *Client) Follow(ctx context.Context, r FollowRequest) (Followed, error) {
	var out Followed
	resp, err := c.do(ctx, http.MethodPost, "/v1/following", nil, r, nil)
	if err != nil {
		return out, err
	}
	defer resp.Body.Close()
	return out, decode(resp, "/v1/following", &out)
}

// Following lists the followed sources.
func (c *Client) Following(ctx context.Context) (FollowedList, error) {
	var out FollowedList
	return out, c.getJSON(ctx, "/v1/following", nil, &out)
}

// Unfollow stops following a source, named by its id ("src3"; needs the
// token).
func (c *Client) Unfollow(ctx context.Context, id string) (Followed, error) {
	var out Followed
	path := "/v1/following/" + url.PathEscape(id)
	resp, err := c.do(ctx, http.MethodDelete, path, nil, nil, nil)
	if err != nil {
		return out, err
	}
	defer resp.Body.Close()
	return out, decode(resp, path, &out)
}

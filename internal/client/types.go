package client

// The types below are the JSON representation of dossier's API, version 1:
// the one vocabulary the server (internal/api) renders into and this client
// decodes. Field names are snake_case; ids are strings with a prefix, as in
// the JSON export ("s12" a story, "e3" an event, "a34" an article,
// "f34.1" a figure); an entity id is the analysers' ("country:KP").
// Instants are RFC 3339 in UTC; day-precise dates are YYYY-MM-DD. A value
// that is unknown is null, never an empty string or a zero date.

// Count is a value and how many articles have it.
type Count struct {
	Key   string `json:"key"`
	Count int    `json:"count"`
}

// Coverage counts a story's articles by language, outlet and day.
type Coverage struct {
	Languages []Count `json:"languages"`
	Outlets   []Count `json:"outlets"`
	Days      []Count `json:"days"`
}

// StorySummary is a story as the list shows it.
type StorySummary struct {
	ID       string  `json:"id"`
	Title    string  `json:"title"`
	Summary  string  `json:"summary"`
	Articles int     `json:"articles"`
	First    *string `json:"first"`
	Latest   *string `json:"latest"`
	Coverage
}

// StoryList is one page of stories, latest development first.
type StoryList struct {
	Stories []StorySummary `json:"stories"`
	// Next is the cursor of the next page, null on the last.
	Next *string `json:"next"`
}

// Story is a story with all its stored views.
type Story struct {
	ID            string         `json:"id"`
	Title         string         `json:"title"`
	Summary       string         `json:"summary"`
	First         *string        `json:"first"`
	Latest        *string        `json:"latest"`
	Updated       string         `json:"updated"`
	Coverage      Coverage       `json:"coverage"`
	Articles      []ArticleRef   `json:"articles"`
	Events        []Event        `json:"events"`
	Timeline      []Entry        `json:"timeline"`
	Ledger        []LedgerLine   `json:"ledger"`
	Disagreements []Disagreement `json:"disagreements"`
	StatusChanges []StatusChange `json:"status_changes"`
}

// ArticleRef is what a story shows of one of its articles.
type ArticleRef struct {
	ID       string  `json:"id"`
	Event    *string `json:"event"`
	Title    string  `json:"title"`
	Language string  `json:"language"`
	Site     *string `json:"site"`
	URL      *string `json:"url"`
	When     *string `json:"when"`
	Sources  int     `json:"sources"`
}

// Event is one development inside a story.
type Event struct {
	ID       string   `json:"id"`
	Title    string   `json:"title"`
	Summary  string   `json:"summary"`
	Articles []string `json:"articles"`
	Earliest *string  `json:"earliest"`
	Latest   *string  `json:"latest"`
}

// Entry is one dated development on a story's timeline.
type Entry struct {
	Earliest *string  `json:"earliest"`
	Latest   *string  `json:"latest"`
	Text     string   `json:"text"`
	Language string   `json:"language"`
	Articles []string `json:"articles"`
}

// LedgerLine groups a story's figures about one quantity.
type LedgerLine struct {
	Topic    string     `json:"topic"`
	Kind     string     `json:"kind"`
	Subject  string     `json:"subject"`
	Disagree bool       `json:"disagree"`
	Changed  bool       `json:"changed"`
	Reports  []Reported `json:"reports"`
}

// Reported is one source's report of a figure.
type Reported struct {
	Figure
	// When is when the article reported it (its date, else its capture).
	When *string `json:"when"`
}

// Figure is a number an article states.
type Figure struct {
	ID           string   `json:"id"`
	Article      string   `json:"article"`
	Value        float64  `json:"value"`
	Low          *float64 `json:"low"`
	High         *float64 `json:"high"`
	Qualifier    *string  `json:"qualifier"`
	Unit         *string  `json:"unit"`
	Kind         *string  `json:"kind"`
	Subject      *string  `json:"subject"`
	AttributedTo *string  `json:"attributed_to"`
	Sentence     string   `json:"sentence"`
}

// Disagreement is a point on which a story's sources differ.
type Disagreement struct {
	Topic     string     `json:"topic"`
	Figures   []string   `json:"figures"`
	Values    []float64  `json:"values"`
	Positions []Position `json:"positions"`
}

// Position is one side of a disagreement or a status change.
type Position struct {
	Text     string   `json:"text"`
	By       string   `json:"by"`
	Articles []string `json:"articles"`
}

// StatusChange is a position that changed over time.
type StatusChange struct {
	Topic  string   `json:"topic"`
	Before Position `json:"before"`
	After  Position `json:"after"`
}

// DateRange is an inclusive range of days.
type DateRange struct {
	Earliest *string `json:"earliest"`
	Latest   *string `json:"latest"`
	Basis    *string `json:"basis"`
}

// Article is an article with its sources and facts.
type Article struct {
	ID        string     `json:"id"`
	Story     *string    `json:"story"`
	Event     *string    `json:"event"`
	Title     string     `json:"title"`
	Text      string     `json:"text"`
	Byline    *string    `json:"byline"`
	Credits   []string   `json:"credits"`
	Site      *string    `json:"site"`
	Language  string     `json:"language"`
	Published *DateRange `json:"published"`
	Added     *string    `json:"added"`
	Sources   []Source   `json:"sources"`
	Facts     Facts      `json:"facts"`
}

// Source is one place an article was seen.
type Source struct {
	File     *string `json:"file"`
	ID       *string `json:"id"`
	URL      *string `json:"url"`
	Captured *string `json:"captured"`
	Index    int     `json:"index"`
	Title    *string `json:"title"`
}

// Facts are what an article claims.
type Facts struct {
	Figures    []Figure    `json:"figures"`
	Statements []Statement `json:"statements"`
	Mentions   []Mention   `json:"mentions"`
	Bounds     *DateRange  `json:"bounds"`
}

// Statement is a sentence that dates a development.
type Statement struct {
	Text     string  `json:"text"`
	Expr     string  `json:"expr"`
	Value    string  `json:"value"`
	Earliest *string `json:"earliest"`
	Latest   *string `json:"latest"`
	Anchor   *string `json:"anchor"`
}

// Mention is a name in an article and the entity it names.
type Mention struct {
	Entity    string `json:"entity"`
	Type      string `json:"type"`
	Name      string `json:"name"`
	Canonical string `json:"canonical"`
}

// Alias is one name of an entity and how many articles use it.
type Alias struct {
	Name  string `json:"name"`
	Count int    `json:"count"`
}

// Entity is what the archive knows of an entity, with one page of the
// articles that mention it (newest first). Figures, the figures whose
// source it is, come with the first page only.
type Entity struct {
	ID           string      `json:"id"`
	Type         string      `json:"type"`
	Name         string      `json:"name"`
	Aliases      []Alias     `json:"aliases"`
	ArticleCount int         `json:"article_count"`
	Stories      []string    `json:"stories"`
	Articles     []string    `json:"articles"`
	Figures      []FigureRow `json:"figures"`
	Next         *string     `json:"next"`
}

// FigureRow is a figure with where it was reported.
type FigureRow struct {
	Figure
	Index        int     `json:"index"`
	Story        *string `json:"story"`
	SourceEntity *string `json:"source_entity"`
	Language     string  `json:"language"`
	Site         *string `json:"site"`
	Published    *string `json:"published"`
	Captured     *string `json:"captured"`
}

// FigureList is a page of figures, newest article first.
type FigureList struct {
	Figures []FigureRow `json:"figures"`
	Next    *string     `json:"next"`
}

// Snippet is an excerpt of an article around what matched; Highlights are
// [start, end) byte offsets into Text.
type Snippet struct {
	Text       string   `json:"text"`
	Highlights [][2]int `json:"highlights"`
}

// SearchHit is an article a search found.
type SearchHit struct {
	Article   string  `json:"article"`
	Title     string  `json:"title"`
	Language  string  `json:"language"`
	Site      *string `json:"site"`
	Published *string `json:"published"`
	Story     *string `json:"story"`
	Score     float64 `json:"score"`
	Snippet   Snippet `json:"snippet"`
	// ViaEntity says the article was found because it mentions an entity
	// the query names (in any script), not by its words.
	ViaEntity bool `json:"via_entity"`
}

// EntityRef is an entity a query names.
type EntityRef struct {
	ID      string  `json:"id"`
	Type    string  `json:"type"`
	Name    string  `json:"name"`
	Aliases []Alias `json:"aliases"`
}

// SearchResult is a page of hits and the entities the query names.
type SearchResult struct {
	Query    string      `json:"query"`
	Hits     []SearchHit `json:"hits"`
	Entities []EntityRef `json:"entities"`
	Next     *string     `json:"next"`
}

// ClusterChange is a logged merge or split of stories or events.
type ClusterChange struct {
	ID      int64   `json:"id"`
	At      string  `json:"at"`
	Kind    string  `json:"kind"`
	Level   string  `json:"level"`
	From    string  `json:"from"`
	Into    string  `json:"into"`
	Article *string `json:"article"`
	Score   float64 `json:"score"`
}

// Changes is what was stored after a cursor. Next is always set: poll
// again with it.
type Changes struct {
	Articles       []string        `json:"articles"`
	ClusterChanges []ClusterChange `json:"cluster_changes"`
	Next           string          `json:"next"`
}

// IngestRequest is the body of POST /v1/ingest: URLs of pages or feeds
// for the server to fetch, and pages given whole.
type IngestRequest struct {
	URLs  []string `json:"urls,omitempty"`
	Pages []Page   `json:"pages,omitempty"`
	// Captured is the capture date (YYYY-MM-DD or RFC 3339) of pages
	// that carry none of their own.
	Captured string `json:"captured,omitempty"`
}

// Page is a page given whole.
type Page struct {
	// Name identifies the page (a file name); it is kept as the source's
	// file. Name or URL is required.
	Name string `json:"name,omitempty"`
	URL  string `json:"url,omitempty"`
	Body string `json:"body"`
	// Format is "html", "text" or empty (guessed).
	Format string `json:"format,omitempty"`
	// Captured is when the page was captured (YYYY-MM-DD or RFC 3339).
	Captured string `json:"captured,omitempty"`
}

// IngestSummary says what an ingest did.
type IngestSummary struct {
	Pages       int             `json:"pages"`
	Unchanged   int             `json:"unchanged"`
	Articles    int             `json:"articles"`
	Duplicates  int             `json:"duplicates"`
	Languages   map[string]int  `json:"languages"`
	Failures    []IngestFailure `json:"failures"`
	ElapsedMS   int64           `json:"elapsed_ms"`
	EmbedErrors int             `json:"embed_errors"`
}

// IngestFailure is an input that could not be ingested.
type IngestFailure struct {
	Input string `json:"input"`
	Error string `json:"error"`
}

// Health is the answer of /healthz.
type Health struct {
	Status string `json:"status"`
}

// ErrorBody is the one error envelope of the API.
type ErrorBody struct {
	Error ErrorDetail `json:"error"`
}

// ErrorDetail holds a stable code and a message for people.
type ErrorDetail struct {
	Code    string `json:"code"`
	Message string `json:"message"`
}

// ErrorList is the answer of GET /v1/errors.
type ErrorList struct {
	Errors []InputError `json:"errors"`
}

// InputError is an input that could not be ingested, or a dead letter of
// the job queue.
type InputError struct {
	Input string `json:"input"`
	Error string `json:"error"`
	At    string `json:"at"`
}

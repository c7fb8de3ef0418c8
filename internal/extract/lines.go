package extract

import (
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"

	"dossier/internal/lazyre"
)

// kind is what one line of a page is, judged on its own and then in context.
type kind int

const (
	kBlank    kind = iota
	kProse         // running text: a paragraph
	kShort         // a short line: title, heading, outlet name, or list item
	kChrome        // ticker, follow-us, promo, counter, teaser
	kSection       // a marker that ends the main article: "Related Articles"
	kComments      // a marker after which readers' comments follow
	kAge           // "10 hours ago"
	kByline        // "Post by : Omar Nasser"
	kCredit        // "Photo : AFP", "Associated Press"
	kOutlet        // outlet name of a related article
	kDate          // a line that is only a date: "May 03, 2013", "2013-05-03 10:21"
)

func (k kind) String() string {
	return [...]string{"blank", "prose", "short", "chrome", "section", "comments", "age", "byline", "credit", "outlet", "date"}[k]
}

// line is one classified line.
type line struct {
	text  string
	kind  kind
	value string // the name in a byline or credit line, the outlet name
	clock int    // minutes past midnight of a time the line opens with, or -1
}

// The patterns below are matched against a line folded to lower case with
// its outer space and bullets removed. They cover English, Arabic and the
// larger European languages; each says what it removes.
var (
	// A clock time opening a line: "- 14:05Over 11,000 Israelis…" (a
	// ticker item), "6:00 a.m. – Morning …", "5:55am Race home …" (a diary).
	reClock = lazyre.New(`^[-–•·*]?\s*(\d{1,2})[:.h](\d{2})(?:\s*([ap])\.?\s?m\b\.?)?`)

	// Lines that are chrome wherever they stand.
	reChrome = []lazyre.Regexp{
		lazyre.New(`^follow us\b`),
		lazyre.New(`\bfollow\b.{0,60}\bon\s+(facebook|twitter|x|instagram|whatsapp|telegram|youtube|tiktok|linkedin|threads|google news)\b`),
		lazyre.New(`^stay (informed|updated|connected)\b.{0,120}$`),
		lazyre.New(`^(subscribe|sign up|join)\b.{0,80}\b(newsletter|channel|updates|alerts|whatsapp|telegram)\b`),
		lazyre.New(`^(download|get) (our|the) (free )?app\b`),
		lazyre.New(`^(comments?|reactions?)\s*[(\[]?\d*[)\]]?\s*$`),
		lazyre.New(`^\d+\s+(comments?|replies|shares|views)$`),
		lazyre.New(`^(no comments( yet)?|be the first to comment|leave a (comment|reply)|add a comment|show comments|load more comments)\b`),
		lazyre.New(`^(share|share this( article| story)?|share on \w+|tweet|print|email|copy link|save|bookmark)\s*:?$`),
		lazyre.New(`^(hashtags|tags|topics|keywords)\s*:?$`),
		lazyre.New(`^try our ai features$`),
		lazyre.New(`^explore what .{1,40} can do for you\W*$`),
		lazyre.New(`^(advertisement|sponsored( content)?|ad|ads|promoted|scroll to continue( with content)?)$`),
		lazyre.New(`^(click here|tap here)\b.{0,80}$`),
		lazyre.New(`^(all rights reserved|copyright ©|© \d{4})`),
		lazyre.New(`^(read more|continue reading|see more|show more|load more|explore further)\W*$`),
		lazyre.New(`^\[?(related|read more|read also|see also|also read|more|watch|listen|recommended|must read|don't miss)\s*:`),
		lazyre.New(`^(subscribe|sign up|register)\b.{0,60}\b(newsletter|free|now|today|here)\b`),
		lazyre.New(`\b(keep an eye on your inbox|error processing your subscription|an error has occurred, please try again|thanks for (signing up|subscribing)|you have been subscribed|already a subscriber|log ?in to (comment|continue))\b`),
		lazyre.New(`^(this copy is for your personal, non-commercial use|copyright\b|©)`),
		lazyre.New(`^if you (buy|purchase) something (through|from) (this|our|a link)`),
		lazyre.New(`^(published|updated|posted|last updated|first published)\s*:?\s*(on\s+)?(\d{1,2}\s+\pL+\s+\d{4}|\pL+\s+\d{1,2},?\s+\d{4}|\d{4}-\d{2}-\d{2})\b.{0,30}$`),
		lazyre.New(`click to tweet$`),
		// Arabic
		lazyre.New(`^(تابعونا|تابعوا|تابعنا)`),
		lazyre.New(`(تابعونا|تابعوا)\s+على`),
		lazyre.New(`^(اشترك|اشتركوا|حمل تطبيق|حمّل تطبيق|نزّل تطبيق)`),
		lazyre.New(`^(التعليقات|تعليقات|لا توجد تعليقات|أضف تعليق|اضف تعليق)\s*[(\[]?\d*[)\]]?$`),
		lazyre.New(`^(شارك|شاركها|مشاركة|طباعة|إعلان|اعلان)\s*:?$`),
		lazyre.New(`^(الوسوم|كلمات مفتاحية|الكلمات المفتاحية)\s*:?$`),
		// French, Spanish, German, Italian, Portuguese
		lazyre.New(`^(suivez-nous|síguenos|folgen sie uns|seguici|siga-nos)\b`),
		lazyre.New(`^(commentaires|comentarios|kommentare|commenti|comentários)\s*[(\[]?\d*[)\]]?$`),
		lazyre.New(`^(publicité|publicidad|anzeige|werbung|pubblicità|publicidade)$`),
	}

	// Markers after which the main article is over and other articles or
	// teasers follow.
	reSection = lazyre.New(`^(related( articles| stories| news| content| posts| coverage)?|more (stories|news|articles|from [\pL\pN .'&-]{1,40})|you (may|might) (also )?like|recommended( for you| stories)?|most (read|popular|viewed)|trending( now)?|latest( news| stories)?|top stories|read (also|next)|also read|see also|editor'?s picks|(اقرأ|إقرأ) (أيضا|أيضاً|ايضا)|(مواضيع|أخبار|اخبار|مقالات) (ذات صلة|مشابهة|متعلقة)|الأكثر (قراءة|مشاهدة)|(à )?lire aussi|sur le même sujet|(lea|leer|lee) (también|más)|noticias relacionadas|lesen sie auch|mehr zum thema|leggi anche|leia (também|mais))\s*:?$`)

	reCommentsHead = lazyre.New(`^(comments?|reader comments|التعليقات|تعليقات|commentaires|comentarios|kommentare)\s*[(\[]?\d*[)\]]?\s*:?$`)

	// "10 hours ago", "a day ago", "منذ 3 ساعات", "il y a 2 heures", "hace 3 horas".
	reAge = lazyre.New(`^((\d+|an?|one|two|three|few) (second|sec|minute|min|hour|hr|day|week|month|year)s? ago|just now|yesterday|منذ \S+( \S+)?|il y a \d+ \S+|hace \d+ \S+|vor \d+ \S+)$`)

	reByline = lazyre.New(`(?i)^(?:posted by|post by|written by|words by|reporting by|story by|by|author|بقلم|كتب|كتبت|إعداد|اعداد|par|por|von|di)\s*[:：]?\s+(.{2,60})$`)
	reCredit = lazyre.New(`(?i)^(photo|photos|image|picture|photograph|credit|photo credit|video|source|صورة|الصورة|المصدر|تصوير)\s*[:：]\s*(.{2,60})$`)
	// "Washington (AFP)" or "(Reuters) -" at the start of a dateline.
	reDatelineWire = lazyre.New(`\((AFP|Reuters|AP|dpa|Xinhua|Anadolu|IANS|PTI|UPI|EFE|ANSA|WAM|SPA|KUNA|QNA|MENA|Yonhap|Kyodo|TASS|Tass|RIA Novosti|Bloomberg)\)`)
	// A bare address, as scrapes and corpora keep them above the article:
	// "http://…", or detokenised "http: / / www. example. com / …".
	reURLLine = lazyre.New(`^(?i)https?:\s*/\s*/\s*\S`)
	reURLJoin = lazyre.New(`\s*([/.:_=?&#%~-])\s*`)

	// Sentences that are chrome inside a paragraph. A scrape that lost its
	// line breaks, or a corpus's text field, keeps the cookie notice, the
	// newsletter box, the share row and the follow-us line inside the
	// article's text, where they join unrelated articles of one site
	// (shared rare words) and feed the facts. Each pattern is the site
	// speaking ("we use cookies", "sign up for our newsletter", "follow us
	// on Twitter"), so that a report about cookies, privacy policies or
	// newsletters keeps its sentences.
	reChromeSentence = []chromeSentence{
		// cookies and consent: the site speaks ("we use cookies", "this
		// site uses cookies", "accept all cookies"), not a report about them
		{[]string{"cookie"}, lazyre.New(`\b(we use|we and our partners use|this (web)?site uses|our (web)?site uses|wir verwenden|wir nutzen|diese (web)?seite verwendet|utilizamos|usamos|este sitio (web )?utiliza|nous utilisons|ce site utilise|utilizziamo|questo sito utilizza|używamy|ta strona (używa|korzysta))\b.{0,40}\bcookies?\b`)},
		{[]string{"cookie"}, lazyre.New(`\b(accept|akzeptieren|aceptar|accepter|accetta|akceptuj)\w* (all |alle |todas |tous |tutti |wszystkie )?(les |las |i |the )?cookies?\b.{0,20}$`)},
		{[]string{"cookie"}, lazyre.New(`\b(change|manage|update) your cookie (settings|preferences)\b`)},
		{[]string{"um die funktion", "of our", "de nuestr", "de notre", "del nostro"}, lazyre.New(`\b(um die funktion unserer website|to improve (the functioning|the performance) of our (web)?site|para mejorar (el funcionamiento|la experiencia) de nuestr|pour améliorer (le fonctionnement|votre expérience) de notre|per migliorare (il funzionamento|l'esperienza) del nostro)`)},
		{[]string{"datenschutz", "privacy", "privacidad", "confidentialité", "prywatno"}, lazyre.New(`\b(ich habe|i have read|he leído|j'ai lu|ho letto|przeczytałem|przeczytałam)\b.{0,80}\b(datenschutz|privacy|privacidad|confidentialité|prywatno)`)},
		{[]string{"datenschutz", "privacy", "privacidad", "confidentialité", "prywatno"}, lazyre.New(`\bby (clicking|continuing|using|submitting|signing up)\b.{0,100}\b(privacy|cookie)`)},
		{[]string{"zustimmung", "consent"}, lazyre.New(`\b(ihre zustimmung|your consent)\b.{0,60}\b(widerrufen|withdraw)`)},
		// newsletters: the site asks
		{[]string{"newsletter", "boletín", "lettre d'information"}, lazyre.New(`\b(sign up|subscribe|register|inscrivez-vous|abonnez-vous|suscríbete|suscríbase|suscribirte|iscriviti|melden sie sich|abonnieren sie|zapisz się).{0,60}\b(newsletter|boletín|lettre d'information)`)},
		{[]string{"newsletter", "boletín"}, lazyre.New(`\b(newsletter|boletín)\b.{0,120}\b(your inbox|ihr(em)? posteingang|tu bandeja|votre boîte|tua casella|carpeta de spam|spam folder)`)},
		{[]string{"al hacer click", "al hacer clic"}, lazyre.New(`\bal hacer (click|clic) en enviar\b`)},
		// share rows and follow-us lines
		{[]string{"e-mail", "email", "correo"}, lazyre.New(`\b(enviar noticia por correo|send (this|the) (article|story) by e-?mail|artikel per e-?mail (senden|versenden|teilen)|envoyer (cet article )?par e-?mail|invia (l'articolo )?per e-?mail)`)},
		{[]string{"facebook", "twitter", "instagram", "whatsapp", "telegram", "youtube", "tiktok", "linkedin"}, lazyre.New(`\b(follow|folgen sie|síguenos|suivez|seguici|obserwuj nas)\s+(us\s+|uns\s+|nous\s+)?([@\w.]+\s+){0,4}(on|auf|en|sur|su|na)\s+(facebook|twitter|instagram|whatsapp|telegram|youtube|tiktok|linkedin)\w*`)},
		{[]string{"home", "startseite", "página de inicio", "page d'accueil"}, lazyre.New(`\b(visit|besuchen sie|visita|visitez)\b.{0,40}\b(homepage|home page|startseite|página de inicio|page d'accueil)\b.{0,60}\b(for more|per altre|für weitere|para más|pour plus)`)},
		// Russian, Ukrainian and Turkish notices
		// (Go's \b knows ASCII letters only: these patterns do without it.)
		{[]string{"cookie", "куки", "çerez"}, lazyre.New(`(мы используем|этот сайт использует|ми використовуємо|цей сайт використовує) .{0,30}(cookie|куки)|çerez(ler)? .{0,60}(kullanıyoruz|kullanmaktadır|kullanılmaktadır)`)},
		{[]string{"подписывайтесь", "підписуйтесь", "следите за", "слідкуйте за"}, lazyre.New(`(подписывайтесь|підписуйтесь|следите за нами|слідкуйте за нами) .{0,60}(telegram|телеграм|twitter|facebook|вконтакте|youtube|instagram|канал|рассылк|розсилк)`)},
		{[]string{"takip edin", "abone ol"}, lazyre.New(`\bbizi\b.{0,40}\btakip edin\b|\b(bültenimize|e-bültenimize|bültene) abone ol`)},
		// blocked-access notices that stand in for the article
		{[]string{"robot"}, lazyre.New(`\b(i am not a robot|nie jestem robotem|je ne suis pas un robot|no soy un robot|ich bin kein roboter)\b`)},
		{[]string{"ip address", "adresu ip", "adres ip", "adresse ip", "dirección ip", "ip-adresse"}, lazyre.New(`\b(from the ip address you|the ip address you are using|your ip address:|z adresu ip,? z którego|adresu ip,? z którego|twój adres ip:|ihre ip-adresse:|votre adresse ip :?|tu dirección ip:)`)},
	}

	reFollowSite = lazyre.New(`(?i)\bfollow\s+(.{2,50}?)\s+on\s+(?:facebook|twitter|x|instagram|whatsapp|telegram|youtube|tiktok|linkedin|threads|google news)\b`)
)

// wires are agency names that, standing alone on a line, credit the article.
var wires = map[string]string{
	"associated press": "Associated Press", "ap": "Associated Press", "the associated press": "Associated Press",
	"reuters": "Reuters", "afp": "AFP", "agence france-presse": "AFP", "agence france presse": "AFP",
	"bloomberg": "Bloomberg", "dpa": "dpa", "xinhua": "Xinhua", "anadolu agency": "Anadolu Agency",
	"efe": "EFE", "ansa": "ANSA", "yonhap": "Yonhap", "kyodo": "Kyodo", "tass": "TASS", "ians": "IANS", "pti": "PTI",
	"رويترز": "Reuters", "وكالة رويترز": "Reuters", "فرانس برس": "AFP", "أ ف ب": "AFP", "ا ف ب": "AFP",
	"أسوشيتد برس": "Associated Press", "وكالة الأنباء الفرنسية": "AFP", "الأناضول": "Anadolu Agency", "وكالات": "agencies",
	"agencies": "agencies", "wires": "agencies", "with agencies": "agencies",
}

// fold lowercases s and trims spaces, bullets and dashes at its ends.
func fold(s string) string {
	s = strings.ToLower(strings.TrimSpace(s))
	return strings.TrimFunc(s, func(r rune) bool { return unicode.IsSpace(r) || r == '•' || r == '·' || r == '*' })
}

// terminal reports whether s ends like a sentence.
func terminal(s string) bool {
	s = strings.TrimRightFunc(s, func(r rune) bool {
		return unicode.IsSpace(r) || strings.ContainsRune("\"'”’»)]", r)
	})
	r, _ := utf8.DecodeLastRuneInString(s)
	return strings.ContainsRune(".!?؟。！？…:;", r)
}

// words counts the words of s; in Chinese and Japanese, which are written
// without spaces, two characters count as a word.
func words(s string) int {
	n := len(strings.Fields(s))
	cjk := 0
	for _, r := range s {
		if unicode.Is(unicode.Han, r) || unicode.Is(unicode.Hiragana, r) || unicode.Is(unicode.Katakana, r) || unicode.Is(unicode.Hangul, r) {
			cjk++
		}
	}
	return n + cjk/2
}

// classify judges one line alone.
func classify(text string) line {
	t := strings.TrimSpace(text)
	l := line{text: t}
	if t == "" {
		l.kind = kBlank
		return l
	}
	f := fold(t)
	n := utf8.RuneCountInString(t)
	l.clock = clockOf(t)
	// Headings, section titles and ages are short lines: the long lines
	// that carry most of a page's text skip their patterns (a tenth of
	// extraction's time went on matching them).
	short := n <= 80
	switch {
	case short && reCommentsHead.MatchString(f):
		l.kind = kComments
		return l
	case short && reSection.MatchString(f):
		l.kind = kSection
		return l
	case short && reAge.MatchString(f):
		l.kind = kAge
		return l
	case n <= 60 && dateOnly(t):
		l.kind = kDate
		return l
	}
	if n < 200 {
		for _, re := range reChrome {
			if re.MatchString(f) {
				l.kind = kChrome
				return l
			}
		}
	}
	if short {
		if m := reByline.FindStringSubmatch(t); m != nil && !terminal(t) {
			l.kind, l.value = kByline, strings.TrimSpace(m[1])
			return l
		}
		if m := reCredit.FindStringSubmatch(t); m != nil {
			label := []rune(strings.ToLower(m[1]))
			label[0] = unicode.ToUpper(label[0])
			l.kind, l.value = kCredit, string(label)+": "+strings.TrimSpace(m[2])
			return l
		}
	}
	if w, ok := wires[strings.Trim(f, " .-–()")]; ok {
		l.kind, l.value = kCredit, w
		return l
	}
	if n >= 160 || (terminal(t) && words(t) >= 8) {
		l.kind = kProse
		if rest, cut := dropChromeSentences(t); cut {
			// What is left must still read as a paragraph: "Twój adres
			// IP: 2267" after a blocked page's notice is not one.
			if utf8.RuneCountInString(rest) < 160 && !(terminal(rest) && words(rest) >= 8) {
				l.kind = kChrome
				return l
			}
			l.text = rest
		}
		return l
	}
	l.kind = kShort
	return l
}

// clockOf returns the minutes past midnight of the clock time a line opens
// with, or -1.
func clockOf(t string) int {
	m := reClock.FindStringSubmatch(t)
	if m == nil {
		return -1
	}
	h, _ := strconv.Atoi(m[1])
	mi, _ := strconv.Atoi(m[2])
	switch m[3] {
	case "p", "P":
		if h < 12 {
			h += 12
		}
	case "a", "A":
		if h == 12 {
			h = 0
		}
	}
	if h > 23 || mi > 59 {
		return -1
	}
	return h*60 + mi
}

// minTicker is the fewest lines a ticker has.
const minTicker = 3

// markTickers turns headline tickers into chrome: runs of at least three
// lines that open with a clock time, read as headlines rather than prose,
// and go back in time (latest first, as a news ticker lists them; one turn
// past midnight allowed). A time opening a paragraph is content: a diary, a
// schedule or a live blog entry ("6:00 a.m. – Morning crews arrive …").
func markTickers(ls []line) {
	headline := func(l line) bool {
		return l.clock >= 0 && (l.kind == kShort || l.kind == kChrome || l.kind == kDate)
	}
	for i := 0; i < len(ls); {
		if !headline(ls[i]) {
			i++
			continue
		}
		run := []int{i}
		j := i + 1
		for ; j < len(ls); j++ {
			if ls[j].kind == kBlank {
				continue
			}
			if !headline(ls[j]) {
				break
			}
			run = append(run, j)
		}
		if len(run) >= minTicker {
			turns := 0
			for k := 1; k < len(run); k++ {
				if ls[run[k]].clock > ls[run[k-1]].clock {
					turns++
				}
			}
			if turns <= 1 {
				for _, k := range run {
					ls[k].kind = kChrome
				}
			}
		}
		i = j
	}
}

// markTeasers turns lists of cut-off summaries into chrome: three or more
// lines of nearly the same length that stop mid-sentence are teasers, and so
// is the short headline just above each of them.
func markTeasers(ls []line) {
	type cand struct{ i, n int }
	var cs []cand
	for i, l := range ls {
		if l.kind != kProse && l.kind != kShort {
			continue
		}
		n := utf8.RuneCountInString(l.text)
		if n >= 50 && !terminal(l.text) {
			cs = append(cs, cand{i, n})
		}
	}
	for _, c := range cs {
		same := 0
		for _, d := range cs {
			if abs(c.n-d.n) <= 4 && abs(c.i-d.i) <= 24 {
				same++
			}
		}
		if same < 3 {
			continue
		}
		ls[c.i].kind = kChrome
		if j := prevContent(ls, c.i); j >= 0 && ls[j].kind == kShort {
			ls[j].kind = kChrome
		}
	}
}

func prevContent(ls []line, i int) int {
	for j := i - 1; j >= 0; j-- {
		if ls[j].kind != kBlank {
			return j
		}
	}
	return -1
}

func nextContent(ls []line, i int) int {
	for j := i + 1; j < len(ls); j++ {
		if ls[j].kind != kBlank {
			return j
		}
	}
	return -1
}

func abs(x int) int {
	if x < 0 {
		return -x
	}
	return x
}

// chromeSentence is a pattern of reChromeSentence with the words one of
// which every match holds: the pattern runs only on a sentence that has
// one (the patterns on every paragraph were an eighth of an ingest's CPU).
type chromeSentence struct {
	keys []string
	re   lazyre.Regexp
}

// match returns where the notice starts in ls (lower case), or -1.
func (c chromeSentence) match(ls string) int {
	for _, k := range c.keys {
		if strings.Contains(ls, k) {
			if loc := c.re.FindStringIndex(ls); loc != nil {
				return loc[0]
			}
			return -1
		}
	}
	return -1
}

// dropChromeSentences removes the sentences of a paragraph that are chrome
// (reChromeSentence), and says whether it removed any.
func dropChromeSentences(t string) (string, bool) {
	f := strings.ToLower(t)
	any := false
	for _, c := range reChromeSentence {
		if c.match(f) >= 0 {
			any = true
			break
		}
	}
	if !any {
		return t, false
	}
	var kept []string
	cut := false
	for _, s := range splitSentences(t) {
		ls := strings.ToLower(s)
		at := -1 // where the earliest notice in the sentence starts
		for _, c := range reChromeSentence {
			if i := c.match(ls); i >= 0 && (at < 0 || i < at) {
				at = i
			}
		}
		if at < 0 {
			kept = append(kept, s)
			continue
		}
		cut = true
		// A headline or a lead that no full stop parts from the notice
		// after it ("… asesinadas Al hacer click en enviar …") is kept:
		// the words before the notice, in a long sentence, when they are
		// more than its opening ("We use cookies").
		// (Offsets in the lower-cased sentence are the sentence's own when
		// lower-casing kept its length.)
		if len(ls) == len(s) && len(s) > 200 && words(s[:at]) >= 6 {
			kept = append(kept, strings.TrimSpace(s[:at]))
		}
	}
	return strings.Join(kept, " "), cut
}

// splitSentences cuts a paragraph after each full stop, question mark,
// exclamation mark or semicolon that white space follows; the sentences
// keep their marks and lose the space between them.
func splitSentences(t string) []string {
	var out []string
	start := 0
	for i, r := range t {
		if i < start {
			continue
		}
		if r != '.' && r != '!' && r != '?' && r != ';' && r != '。' {
			continue
		}
		j := i + utf8.RuneLen(r)
		for j < len(t) && strings.IndexByte(`"')`, t[j]) >= 0 {
			j++
		}
		if j < len(t) && t[j] != ' ' && t[j] != '\t' && r != '。' {
			continue
		}
		if s := strings.TrimSpace(t[start:j]); s != "" {
			out = append(out, s)
		}
		start = j
	}
	if s := strings.TrimSpace(t[start:]); s != "" {
		out = append(out, s)
	}
	return out
}

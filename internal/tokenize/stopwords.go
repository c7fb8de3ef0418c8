package tokenize

import (
	"maps"
	"slices"
	"strings"
	"sync"
)

// commonStopWords are words that tell nothing of what an article is about
// and are dropped from articles in any language: English, Malay and
// Indonesian, and Arabic function words, with the words every news report
// uses ("said", "percent", weekdays).
const commonStopWords = `the and for that with was were are has have had his her its their they them this these those
	from but not been will would said says also about after before over into than then there which who whom what when where
	while more most some such only other out one two can could may might must shall should our your you she him just
	very all any each few both how why yes new said told according year years day days week month last first time
	people percent per cent mr mrs ms dr its it's he's she's that's there's
	monday tuesday wednesday thursday friday saturday sunday
	yang dan untuk dengan tidak ini itu dalam pada akan telah oleh dari kepada ialah adalah juga lebih bagi atau
	kerana satu dua para sebagai mereka beliau kata katanya selepas sebelum antara
	في من على الى إلى عن مع هذا هذه ذلك التي الذي الذين كان كانت قد لم لن أن ان إن او أو ثم حيث بعد قبل كما
	بين عند منذ حتى غير وقد وكان وفي ومن التى هو هي هم ما لا بل وقال قال`

// stopWords are the function words of languages whose articles carry a
// language code: a word is a stop word only in its own language ("war",
// "die" and "son" are English content words). This is the one place they
// live: adding a language is one entry here (with its months, months.go,
// and its stemmer, stem.go).
var stopWords = map[string]string{
	// English's are also among the common ones; here they are English's
	// alone, for what reads one language's words (a lone capitalised
	// "The" is no name in English; "Yang" may be one).
	"en": `the and for that with was were are has have had his her its their they them this these those from but not been
			would said says also about after before over into than then there which who whom what when where while more most
			some such only other out one two can could might must shall should our your you she him just very all any each
			few both how why yes new told according year years day days week month last first time people percent per`,
	"de": `der die das den dem des ein eine einer eines einem einen und oder aber auch nicht noch nur schon sich sie ich wir ihr
			ist sind war waren wird werden wurde wurden hat haben hatte hatten sein seine seiner seinen ihre ihrer ihren ihrem
			mit von vom zum zur bei aus nach vor für über unter auf durch gegen ohne bis seit als wie wenn dass weil doch
			dies diese dieser dieses diesem diesen man kann können soll sollen muss müssen will mehr sehr hier dort jetzt
			heute gibt immer wieder sagte sagt laut jahr jahren prozent alle allen einige viele dann denn also`,
	"es": `los las del una uno unos unas por para con sin sobre entre desde hasta como pero más muy sus este esta estos estas
			ese esa eso han había fue fueron ser son está están tiene tienen dijo según año años también cuando donde porque
			que qué ya sido hay todo todos toda todas otro otra otros otras le les lo al`,
	"fr": `les des une dans pour par sur avec sans sous entre depuis comme mais plus très ses son cette ces est sont été
			était avait ont qui que quoi dont où aussi leur leurs elle ils elles nous vous pas ne tout tous toute toutes
			selon année ans fait faire peut aux après avant`,
	"it": `della delle dello degli dei nel nella nelle nei sul sulla sui per con tra fra come anche più molto suoi sua suo
			questo questa questi queste quello quella sono era erano stato stata essere ha hanno aveva che chi non gli una uno
			anni anno dopo prima ancora secondo cui quando dove perché tutti tutto`,
	"pl": `się nie jest są był była było być ale jak już tak też tylko przez przy jego jej ich oraz lub czy który która
			które którzy dla pod nad bez może roku lat tym tego tej tych jako jeszcze`,
	"tr": `bir ve ile için bu şu olan olarak daha çok gibi kadar sonra önce ama veya ancak değil var yok her ise hem`,
	"ru": `что это как его она они был была были быть так все уже или если при для от до по из за на не но то также
			который которые которая году года лет более`,
}

// CommonStopWords returns the stop words of every language.
func CommonStopWords() []string { return strings.Fields(commonStopWords) }

// StopWords returns the function words of lang (nil for a language with
// none listed: the common ones still apply).
func StopWords(lang string) []string { return strings.Fields(stopWords[lang]) }

// StopWord reports whether word (lower case) is a function word of lang's
// own (StopWords).
func StopWord(word, lang string) bool { return stopSets()[lang][word] }

// stopSets are stopWords as sets.
var stopSets = sync.OnceValue(func() map[string]map[string]bool { return langSets(stopWords) })

// StopWordLanguages returns the languages StopWords knows, sorted.
func StopWordLanguages() []string { return slices.Sorted(maps.Keys(stopWords)) }

package facts

import (
	"maps"
	"slices"
	"sort"
	"strings"
	"sync"
	"unicode"
	"unicode/utf8"

	"dossier/internal/arabic"
	tok "dossier/internal/tokenize"
)

// figureWords are the words the figure rules read in languages other than
// English and Arabic, whose rules (figures.go, numbers.go) are older and
// hold their own tables. This is the one place a language's figure words
// live: adding one is one entry here (its stop words and months come from
// internal/tokenize). Words are lower case; a cue of several words is
// written with spaces; "|" separates cues. Inflected forms are listed as
// the news writes them: the rules match whole words.
type figureWordList struct {
	// kinds maps a figure kind (killed, injured, …, rate) to its cues.
	kinds map[string]string
	// hedges maps the English qualifier recorded to the phrases before a
	// number that carry it ("mehr als" → "more than").
	hedges map[string]string
	// numbers are number words with their values ("zwei:2"), scales the
	// words that multiply the number before them ("Millionen:1e6").
	numbers, scales string
	// according are the phrases before a source ("laut", "según");
	// after those after one ("zufolge"); say the reporting verbs, whose
	// subject stands before them or, inverted, after ("…, dijo el
	// ministro").
	according, after, say string
	// aux are auxiliaries between a source and its reporting verb ("a"
	// déclaré, "hat" mitgeteilt); articles are skipped before a source
	// and inside a name ("Ministerio de Salud"); stop are the words,
	// beyond the language's stop words, that end a subject or a source
	// (prepositions, conjunctions, auxiliaries).
	aux, articles, linkers, stop string
	// measures are units that make a number a measure (days, metres,
	// times); money the currencies written as words; things the places,
	// buildings, vehicles and incidents that no count of people counts;
	// cases the counts of the ill that are no toll.
	measures, money, things, cases string
	// people are the nouns for people as such ("Menschen", "personas"):
	// a figure of them counts people, so that ledgers in several
	// languages meet on one line.
	people string
	// days are the words for today, tonight and the parts of a day (the
	// weekdays and yesterday come from tokenize.DayWords): a subject or a
	// source ends at one.
	days string
	// labels are the words that name the number after them rather than
	// count with it: a flight, a kilometre post, a street, an article of
	// law, an hour ("Flug 9525", "calle 23", "godz. 14", "saat 21").
	labels string
	// conj are the conjunctions that start the next clause: a cue before
	// one is not the count's after it ("sono morte e tre sono rimaste
	// ferite": three were injured).
	conj string
	// rise are the verbs a "to" after them reads as "rose to", not "up to"
	// ("возросло до 12", "ascendió hasta 15").
	rise string
	// generic are the words of a source that names no one ("Behörden",
	// "fuentes", "власти"), like "authorities" and "officials"; sources
	// maps an English name of a kind of source to the language's forms
	// ("police": "polizei"), so that "laut Polizei" and "police said" are
	// one origin.
	generic string
	sources map[string]string
	// definite words before a number refer back to a count already given
	// ("die zwei Soldaten"); others are the words a subject that only
	// points back to the figure before it is made of ("fünf weitere").
	definite, others string
	// decimalComma: "2,5" is two and a half and "1.500" fifteen hundred;
	// groups separated by a space ("12 000") are one number.
	decimalComma bool
	// nounCaps: every noun is capitalised (German), so a capitalised word
	// before a number does not name it ("laut Polizei 12 Tote").
	nounCaps bool
	// nounBefore are the words after which a capitalised word is a noun
	// (articles, their contractions with a preposition, determiners), and
	// nounEndings the endings of common nouns, for a nounCaps language: a
	// lone capitalised word so placed or so ending is no name ("die
	// Krise", "im Jahr", "Regierung").
	nounBefore, nounEndings string
	// titles are the words of a title or an office before a name ("Bundeskanzlerin
	// Angela Merkel"): not part of it.
	titles string
	// caseEndings are the endings a name takes in the language's cases
	// (tried longest first): "Polsce" and "Polska", "России" and "Россия"
	// are one country (Gazetteer.inflected).
	caseEndings string
	// subjectWords caps the words of a subject: in a language whose
	// adjectives come before the noun and verbs last (Turkish), what is
	// counted is the one word after the number ("435 kişi").
	subjectWords int
}

var figureWords = map[string]figureWordList{
	"nl": {
		titles: "president|premier|minister|kanselier|burgemeester|koning|koningin|prins|prinses|paus|meneer|mevrouw|woordvoerder",
		conj:   "en",
		labels: "vlucht|kilometer|km|straat|nummer|artikel|lijn|weg|snelweg|om", rise: "gestegen|steeg|opgelopen",
		kinds: map[string]string{
			"killed":     "gedood|doden|dode|omgekomen|kwamen om|om het leven|overleden|overleed|stierven|dodental",
			"casualties": "slachtoffers",
			"injured":    "gewond|gewonden|gewonde|raakten gewond|zwaargewonden",
			"captured":   "gevangengenomen|krijgsgevangenen",
			"to be sent": "sturen|zal sturen|zenden",
			"deployed":   "gestuurd|ingezet|gestationeerd",
			"arrested":   "gearresteerd|aangehouden|opgepakt|arrestaties|aanhoudingen",
			"displaced":  "geëvacueerd|ontheemd|dakloos",
			"on strike":  "stakers|staakten",
			"protesting": "demonstranten|betogers|demonstreerden",
			"missing":    "vermist|vermisten|vermiste",
			"rescued":    "gered",
			"laid off":   "ontslagen",
			"infected":   "besmet|besmettingen|geïnfecteerd",
			"recovered":  "hersteld|genezen",
			"rate":       "heffing|heffingen|invoerheffing|belasting|inflatie|rente|werkloosheid",
		},
		hedges: map[string]string{
			"more than": "meer dan|ruim|ruim over", "at least": "minstens|ten minste|tenminste", "about": "ongeveer|circa|zo'n|rond",
			"almost": "bijna", "nearly": "nagenoeg", "up to": "tot", "less than": "minder dan",
		},
		numbers:   "twee:2 drie:3 vier:4 vijf:5 zes:6 zeven:7 acht:8 negen:9 tien:10 elf:11 twaalf:12 twintig:20 dertig:30 honderd:100 duizend:1000",
		scales:    "honderd:100 duizend:1e3 miljoen:1e6 miljard:1e9 mln:1e6 mld:1e9",
		according: "volgens|aldus",
		say:       "zei|zeiden|zegt|meldde|meldden|meldt|liet|bevestigde|verklaarde|maakte",
		aux:       "heeft|hebben|had|ook|al",
		articles:  "de|het|een",
		linkers:   "van|voor|der",
		stop:      "in|op|aan|bij|met|van|voor|na|door|en|of|die|dat|zijn|werden|waren|is|was|er|te|om",
		measures:  "meter|kilometer|km|dag|dagen|jaar|jaren|uur|minuten|weken|maanden|keer|graden|punten|hectare",
		money:     "euro|dollar|pond",
		things:    "huizen|woningen|gebouwen|auto's|voertuigen|steden|dorpen|landen|scholen|ziekenhuizen|aanslagen|aanvallen|ongelukken|branden",
		cases:     "gevallen|besmettingen",
		people:    "mensen|personen|inwoners",
		days:      "vandaag|vanavond|vannacht|ochtend|avond|nacht",
		definite:  "de|die|deze|beide",
		others:    "andere|anderen|meer",
		generic:   "autoriteiten|overheid|regering|functionarissen|bronnen|media|lokale",
		sources:   map[string]string{"police": "politie", "army": "leger", "health ministry": "ministerie van volksgezondheid|rivm", "fire brigade": "brandweer", "prosecutors": "openbaar ministerie"},

		decimalComma: true,
	},
	"uk": {
		titles:      "президент|прем'єр|міністр|канцлер|мер|король|королева|принц|папа|голова|губернатор|депутат|речник",
		caseEndings: "ою|ею|єю|ом|ем|им|ім|ій|ої|а|я|и|і|ї|у|ю|е|є|й|ь",
		conj:        "і|й|та|а",
		labels:      "рейс|км|вулиця|вулиці|будинок|номер|стаття|статті|лінія|траса", rise: "зросла|зросло|збільшилася|збільшилося|сягнула|сягнуло",
		kinds: map[string]string{
			"killed":     "загинули|загинув|загинула|загиблих|загиблі|загинуло|вбиті|вбито|вбитих|убили|вбили|померли|помер|смертей|загибелі",
			"injured":    "поранені|поранено|поранених|постраждали|постраждалих|постраждало|травмовано",
			"captured":   "полон|полонених|полонені",
			"to be sent": "направить|відправить|надішле",
			"deployed":   "направлені|відправлені|розгорнуті|перекинуті",
			"arrested":   "затримала|затримав|затримали|затримано|затриманих|заарештували|заарештовано|арештовано",
			"displaced":  "евакуйовано|евакуювали|переселенців|біженців",
			"protesting": "протестувальників|демонстрантів|мітингувальників",
			"missing":    "безвісти|зниклих",
			"rescued":    "врятовано|врятували",
			"infected":   "інфікованих|захворіли|заражених",
			"recovered":  "одужали|одужало",
			"rate":       "мита|мито|податок|податку|інфляція|інфляції|ставка|ставку",
		},
		hedges: map[string]string{
			"more than": "понад|більше|більш ніж|більше ніж", "at least": "щонайменше|принаймні|не менше", "about": "близько|приблизно|майже",
			"up to": "до", "less than": "менше",
		},
		numbers:   "два:2 дві:2 двох:2 три:3 трьох:3 чотири:4 чотирьох:4 пʼять:5 п'ять:5 шість:6 сім:7 вісім:8 девʼять:9 десять:10 двадцять:20 сто:100",
		scales:    "тисяча:1e3 тисячі:1e3 тисяч:1e3 тис:1e3 мільйон:1e6 мільйона:1e6 мільйонів:1e6 млн:1e6 мільярд:1e9 млрд:1e9",
		according: "за даними|за словами|згідно з|за інформацією|за оцінками",
		say:       "повідомив|повідомила|повідомили|повідомляє|заявив|заявила|заявили|сказав|сказала|підтвердив|підтвердили|зазначив",
		aux:       "також|вже|раніше",
		stop:      "в|у|на|з|із|зі|до|і|й|та|а|але|що|при|після|за|від|по|він|вона|вони|були|був|була|було",
		measures:  "метрів|кілометрів|км|днів|дня|день|років|року|рік|годин|хвилин|тижнів|місяців|разів|градусів",
		money:     "гривень|гривні|доларів|євро",
		things:    "будинків|будівель|будинки|автомобілів|машин|міст|містах|сіл|країн|шкіл|лікарень|атак|обстрілів|ударів|ракет|дронів",
		cases:     "випадків|випадки",
		people:    "людей|осіб|людини|мешканців",
		days:      "сьогодні|вночі|вранці|ввечері",
		others:    "інших|ще",
		generic:   "влада|влади|посадовці|джерела|джерел|зми|місцеві|офіційні",
		sources:   map[string]string{"police": "поліція|поліції", "army": "зсу|армія|генштаб", "health ministry": "моз", "interior ministry": "мвс", "defence ministry": "міноборони", "rescuers": "дснс|рятувальники"},

		decimalComma: true,
	},
	"ms": malayic(figureWordList{
		conj:         "dan|manakala|sementara",
		labels:       "penerbangan|km|jalan|jln|nombor|perkara|pukul|jam|tingkat",
		rise:         "meningkat|bertambah|naik",
		generic:      "pihak|berkuasa|kerajaan|pegawai|sumber|media|tempatan|setempat",
		sources:      map[string]string{"police": "polis|pdrm", "army": "tentera", "health ministry": "kementerian kesihatan|kkm", "fire brigade": "bomba|jbpm"},
		numbers:      "dua:2 tiga:3 empat:4 lima:5 enam:6 tujuh:7 lapan:8 sembilan:9 sepuluh:10 sebelas:11 dua belas:12 dua puluh:20 seratus:100 seribu:1000",
		scales:       "ratus:100 ribu:1e3 juta:1e6 bilion:1e9",
		say:          "kata|berkata|memaklumkan|mengesahkan|menjelaskan|memberitahu|melaporkan",
		days:         "kelmarin",
		decimalComma: false,
	}),
	"id": malayic(figureWordList{
		conj:         "dan|sementara",
		labels:       "penerbangan|km|jalan|jl|nomor|pasal|pukul|jam|lantai",
		rise:         "meningkat|bertambah|naik",
		generic:      "pihak|berwenang|otoritas|pemerintah|pejabat|sumber|media|setempat",
		sources:      map[string]string{"police": "polisi|polri", "army": "tni", "health ministry": "kementerian kesehatan|kemenkes", "rescuers": "basarnas|bnpb"},
		numbers:      "dua:2 tiga:3 empat:4 lima:5 enam:6 tujuh:7 delapan:8 sembilan:9 sepuluh:10 sebelas:11 seratus:100 seribu:1000",
		scales:       "ratus:100 ribu:1e3 juta:1e6 miliar:1e9 triliun:1e12",
		say:          "kata|ujar|ungkap|jelas|tutur|mengatakan|menyatakan|menjelaskan|melaporkan",
		days:         "minggu",
		decimalComma: true,
	}),
	"de": {
		titles: "präsident|präsidentin|bundespräsident|bundespräsidentin|kanzler|kanzlerin|bundeskanzler|bundeskanzlerin|vizekanzler|vizekanzlerin|ministerpräsident|ministerpräsidentin|minister|ministerin|bundesminister|bundesministerin|gesundheitsminister|außenminister|innenminister|finanzminister|bürgermeister|bürgermeisterin|oberbürgermeister|oberbürgermeisterin|papst|könig|königin|prinz|prinzessin|herr|frau|sprecher|sprecherin|trainer|schauspieler|schauspielerin|sänger|sängerin|us-präsident|ex-präsident|regierungschef|regierungschefin|parteichef|parteichefin",
		conj:   "und|sowie",
		labels: "flug|kilometer|km|straße|strasse|str|paragraf|paragraph|nummer|nr|linie|gleis|artikel|bus|zug|platz|haus|halle|raum|zimmer|jahrgang|um", rise: "gestiegen|stieg|stiegen|steigt|erhöht|erhöhte",
		generic: "behörden|behörde|ersten|erste|bericht|berichte|berichten|zahlen|bilanz|vorläufigen|vorläufige|regierung|beamte|beamten|offizielle|offiziellen|quellen|medien|medienberichten|berichten|angaben|militär|sicherheitskreise|sicherheitskreisen|kreise|kreisen|lokale|lokalen|örtliche|örtlichen|staatliche|staatlichen|die|der|den|dem|des",
		sources: map[string]string{"police": "polizei", "army": "armee|bundeswehr|militär", "health ministry": "gesundheitsministerium", "interior ministry": "innenministerium", "defence ministry": "verteidigungsministerium", "foreign ministry": "außenministerium|auswärtiges amt", "fire brigade": "feuerwehr", "rescuers": "rettungskräfte|rettungsdienst", "prosecutors": "staatsanwaltschaft"},
		days:    "heute|morgen|nacht|abend", definite: "die|der|den|dem|diese|dieser|diesen|beiden", others: "weitere|weiteren|andere|anderen",
		people: "menschen|personen|leute|einwohner",
		kinds: map[string]string{
			"killed":     "getötet|getötete|getöteten|tot|tote|toten|todesopfer|todesopfern|starben|gestorben|verstorben|ums leben|kamen ums leben|tödlich verletzt|leichen|tötete|töteten|forderte|forderten",
			"recovered":  "genesen|genesene|genesenen|gesund",
			"injured":    "verletzt|verletzte|verletzten|verwundet|verwundete|verwundeten|schwerverletzte|schwerverletzten|leichtverletzte",
			"captured":   "gefangen genommen|gefangennahme|kriegsgefangene",
			"to be sent": "schicken|entsenden|senden|stationieren",
			"deployed":   "entsandt|geschickt|stationiert|verlegt|eingesetzt",
			"arrested":   "festgenommen|verhaftet|festnahmen|inhaftiert|gewahrsam|festgesetzt",
			"displaced":  "vertrieben|evakuiert|obdachlos|flohen|geflohen",
			"on strike":  "streikten|streikende|streikenden|im streik",
			"protesting": "demonstranten|demonstrierten|protestierten|protestierende|protestierenden",
			"missing":    "vermisst|vermisste|vermissten",
			"rescued":    "gerettet|geborgen",
			"laid off":   "entlassungen|stellenabbau",
			"infected":   "infiziert|infizierte|infizierten|angesteckt|positiv getestet",
			"rate":       "zoll|zölle|zöllen|zollsatz|steuer|steuern|inflation|inflationsrate|zinsen|zinssatz|leitzins|arbeitslosenquote",
		},
		hedges: map[string]string{
			"more than": "mehr als|über|weit über", "at least": "mindestens|wenigstens", "around": "rund|gut",
			"about": "etwa|ungefähr|zirka|ca .", "almost": "fast|beinahe", "nearly": "knapp|nahezu|annähernd",
			"up to": "bis zu", "less than": "weniger als",
		},
		numbers: "zwei:2 drei:3 vier:4 fünf:5 sechs:6 sieben:7 acht:8 neun:9 zehn:10 elf:11 zwölf:12 zwanzig:20 dreißig:30 vierzig:40 fünfzig:50 hundert:100 tausend:1000",
		scales:  "hundert:100 tausend:1e3 million:1e6 millionen:1e6 mio:1e6 milliarde:1e9 milliarden:1e9 mrd:1e9",
		according: "laut|nach angaben|nach angaben von|nach angaben der|nach angaben des|nach informationen|nach informationen von|" +
			"nach informationen der|nach informationen des|wie aus",
		after:    "zufolge",
		say:      "sagte|sagten|sagt|sprechen|spricht|sprach|sprachen|erklärte|erklärten|teilte|teilten|mitteilte|mitteilten|berichtete|berichteten|meldete|meldeten|bestätigte|bestätigten|hieß",
		aux:      "hat|haben|hatte|hatten|habe|am|auch|zuvor|bereits|nun|inzwischen",
		articles: "der|die|das|den|dem|des|ein|eine|einer|einem|eines",
		linkers:  "der|des|von|für|und",
		stop:     "in|im|am|an|ins|beim|um|wo|nachdem|während|seit|sowie|mit|mitgeteilt|es|er|ich|man|seien|sei|kommen|kamen",
		measures: "meter|metern|kilometer|kilometern|km|tag|tage|tagen|jahr|jahre|jahren|stunde|stunden|minute|minuten|woche|wochen|monat|monate|monaten|mal|grad|punkte|prozentpunkte|hektar|uhr",
		money:    "euro|dollar|franken|pfund|rubel",
		things: "haus|häuser|häusern|gebäude|gebäuden|hotels|wohnungen|autos|fahrzeuge|fahrzeugen|städte|städten|dörfer|dörfern|orte|orten|länder|ländern|" +
			"schulen|krankenhäuser|angriffe|anschläge|unfälle|unfällen|bundesländer|bundesländern|regionen|brände|bränden|einsätze|einsätzen",
		cases:        "fälle|fällen|fall|infektionen|neuinfektionen|ansteckungen|erkrankte|erkrankten",
		decimalComma: true,
		nounCaps:     true,
		nounBefore: "der|die|das|den|dem|des|ein|eine|einer|einem|einen|eines|im|am|zum|zur|beim|vom|ins|kein|keine|keinen|keiner|" +
			"diese|dieser|diesem|diesen|dieses|jede|jeder|jedem|jeden|jedes|alle|allen|viele|vielen|mehrere|mehreren|weitere|weiteren|" +
			"sein|seine|seinem|seinen|seiner|ihr|ihre|ihrem|ihren|ihrer|unser|unsere|unseren|unserer|neue|neuen|neuer|neues|" +
			"ersten|letzten|vergangenen|nächsten|kommenden|ganzen|anderen|großen|hohen",
		nounEndings: "ungen|ungs|heit|heiten|keit|keiten|schaft|schaften|schafts|tion|tionen|ität|itäten|ismus|nisse|tum|ium",
	},
	"fr": {
		titles: "président|présidente|premier|ministre|chancelier|chancelière|maire|roi|reine|prince|princesse|pape|m.|mme|docteur|porte-parole|secrétaire",
		conj:   "et",
		labels: "vol|kilomètre|km|rue|avenue|numéro|n°|article|ligne|route|autoroute|h|étage|bus", rise: "passé|monté|grimpé|élevé|atteint",
		generic: "autorités|gouvernement|bilan|provisoire|premier|premiers|informations|données|chiffres|responsables|sources|source|médias|officiels|militaires|locales|locaux|les|la|le|l'|des|de",
		sources: map[string]string{"police": "police", "army": "armée", "health ministry": "ministère de la santé", "interior ministry": "ministère de l'intérieur", "defence ministry": "ministère de la défense", "foreign ministry": "ministère des affaires étrangères", "fire brigade": "pompiers|sapeurs-pompiers", "rescuers": "secours|sauveteurs", "prosecutors": "parquet"},
		days:    "aujourd'hui|soir|matin|nuit", definite: "les|ces|leurs|ses", others: "autres|supplémentaires",
		people: "personnes|gens",
		kinds: map[string]string{
			"killed":     "tués|tuées|tué|tuée|morts|mortes|décès|décédés|décédées|péri|ont péri|perdu la vie|trouvé la mort|victimes mortelles|coûté la vie",
			"recovered":  "guéris|guéries|rétablis",
			"injured":    "blessés|blessées|blessé|blessée|blessures",
			"captured":   "capturés|capturées|faits prisonniers|prisonniers",
			"to be sent": "enverra|envoyer|déployer|déploiera|dépêcher",
			"deployed":   "déployés|déployées|envoyés|envoyées|dépêchés|dépêchées|stationnés|mobilisés",
			"arrested":   "arrêtés|arrêtées|interpellés|interpellées|interpellations|arrestations|garde à vue|écroués|détenus",
			"displaced":  "déplacés|déplacées|évacués|évacuées|sans-abri|sinistrés",
			"on strike":  "grévistes|en grève",
			"protesting": "manifestants|manifestantes|ont manifesté|protestataires",
			"missing":    "disparus|disparues",
			"rescued":    "secourus|secourues|sauvés|sauvées|rescapés",
			"laid off":   "licenciements|licenciés|suppressions d'emplois|suppressions de postes",
			"infected":   "infectés|infectées|contaminés|contaminées|testés positifs",
			"rate":       "droits de douane|douane|taxe|taxes|impôt|impôts|inflation|taux|tarifs",
		},
		hedges: map[string]string{
			"more than": "plus de", "at least": "au moins|pas moins de", "about": "environ|quelque|quelques", "nearly": "près de|quasiment",
			"almost": "presque", "up to": "jusqu'à", "less than": "moins de",
		},
		numbers:   "deux:2 trois:3 quatre:4 cinq:5 six:6 sept:7 huit:8 neuf:9 dix:10 onze:11 douze:12 vingt:20 trente:30 quarante:40 cinquante:50 cent:100 mille:1000",
		scales:    "cent:100 cents:100 mille:1e3 million:1e6 millions:1e6 milliard:1e9 milliards:1e9",
		according: "selon|d'après|de source|selon le|selon la|selon les",
		say:       "déclaré|indiqué|annoncé|affirmé|précisé|confirmé|rapporté|expliqué|assuré|souligné|déclare|indique|annonce|affirme|précise|rapporte|estime|estimé|ajouté|ajoute",
		aux:       "a|ont|avait|avaient|aussi|également|encore|déjà",
		articles:  "le|la|les|l'|un|une|du|des",
		linkers:   "de|du|des|la|l'|d'",
		stop:      "à|au|aux|en|de|du|et|ou|lors|dont|ont|a|été|sont|sur|dans|par|il|elle|ils|elles|on",
		measures:  "mètres|mètre|kilomètres|kilomètre|km|jour|jours|an|ans|année|années|heure|heures|minutes|semaines|mois|fois|degrés|points|hectares|h",
		money:     "euros|euro|dollars|dollar|francs|livres",
		things:    "maisons|bâtiments|immeubles|hôtels|logements|voitures|véhicules|villes|villages|pays|écoles|hôpitaux|attaques|attentats|accidents|communes|départements|régions|incendies|interventions",
		cases:     "cas|contaminations|infections|malades",

		decimalComma: true,
	},
	"es": {
		titles: "presidente|presidenta|primer|ministro|ministra|canciller|alcalde|alcaldesa|rey|reina|príncipe|princesa|papa|don|doña|señor|señora|gobernador|gobernadora|senador|senadora|secretario|secretaria|portavoz",
		conj:   "y|e",
		labels: "vuelo|kilómetro|km|calle|avenida|número|núm|artículo|línea|ruta|autopista|carretera|día|dia|piso|planta", rise: "ascendió|ascienden|asciende|aumentó|subió|elevó|llegó",
		generic: "autoridades|gobierno|balance|preliminar|provisional|primer|primeros|informaciones|datos|cifras|funcionarios|fuentes|fuente|medios|oficiales|locales|las|los|el|la|de",
		sources: map[string]string{"police": "policía", "army": "ejército", "health ministry": "ministerio de salud|ministerio de sanidad", "interior ministry": "ministerio del interior", "defence ministry": "ministerio de defensa", "foreign ministry": "cancillería|ministerio de relaciones exteriores|ministerio de asuntos exteriores", "fire brigade": "bomberos", "rescuers": "rescatistas|socorristas", "prosecutors": "fiscalía"},
		days:    "hoy|noche|tarde|mañana", definite: "los|las|estos|estas|sus", others: "otros|otras|más",
		people: "personas|gente",
		kinds: map[string]string{
			"killed":     "muertos|muertas|muerto|muerta|murieron|fallecidos|fallecidas|fallecieron|asesinados|asesinadas|víctimas mortales|perdieron la vida|muertes|decesos|fallecimientos|murió|defunciones|fallecido|fallecida|cobró la vida|se cobró",
			"recovered":  "recuperados|recuperadas|se recuperaron|curados|altas",
			"injured":    "heridos|heridas|herido|herida|lesionados|lesionadas|resultaron heridos",
			"captured":   "capturados|capturadas|prisioneros",
			"to be sent": "enviará|desplegará|enviar|desplegar",
			"deployed":   "desplegados|desplegadas|enviados|enviadas|destacados|movilizados",
			"arrested":   "detenidos|detenidas|arrestados|arrestadas|detenciones|arrestos|detuvo|detuvieron|arrestó|arrestaron",
			"displaced":  "desplazados|desplazadas|evacuados|evacuadas|damnificados|desalojados",
			"on strike":  "huelguistas|en huelga",
			"protesting": "manifestantes|protestaron|se manifestaron",
			"missing":    "desaparecidos|desaparecidas",
			"rescued":    "rescatados|rescatadas|rescató|rescataron",
			"laid off":   "despidos|despedidos",
			"infected":   "contagiados|contagiadas|infectados|infectadas",
			"rate":       "arancel|aranceles|impuesto|impuestos|inflación|tasa|tipo de interés|desempleo",
		},
		hedges: map[string]string{
			"more than": "más de", "at least": "al menos|por lo menos", "nearly": "cerca de", "about": "unos|unas|aproximadamente",
			"around": "alrededor de", "almost": "casi", "up to": "hasta", "less than": "menos de",
		},
		numbers:   "dos:2 tres:3 cuatro:4 cinco:5 seis:6 siete:7 ocho:8 nueve:9 diez:10 once:11 doce:12 veinte:20 treinta:30 cuarenta:40 cincuenta:50 cien:100 mil:1000",
		scales:    "cien:100 ciento:100 mil:1e3 millón:1e6 millones:1e6 millardo:1e9",
		according: "según|de acuerdo con|de acuerdo a",
		say:       "dijo|dijeron|afirmó|afirmaron|informó|informaron|señaló|señalaron|indicó|indicaron|aseguró|confirmó|confirmaron|declaró|anunció|anunciaron|explicó|reportó|precisó",
		aux:       "ha|han|había|habían|también|ya",
		articles:  "el|la|los|las|un|una",
		linkers:   "de|del|la|y",
		stop:      "a|en|de|y|o|e|durante|tras|que|se|al|él|ella|ellos|ellas|resultaron|quedaron",
		measures:  "metros|metro|kilómetros|km|día|días|año|años|hora|horas|minutos|semanas|mes|meses|veces|grados|puntos|hectáreas",
		money:     "euros|dólares|pesos|libras",
		things:    "casas|viviendas|edificios|hoteles|coches|vehículos|ciudades|pueblos|países|estados|escuelas|hospitales|ataques|atentados|accidentes|municipios|provincias|regiones|incendios|homicidios|delitos",
		cases:     "casos|contagios|infecciones|enfermos|enfermas",

		decimalComma: true,
	},
	"it": {
		titles: "presidente|premier|ministro|ministra|cancelliera|cancelliere|sindaco|re|regina|principe|principessa|papa|signor|signora|dott|dottor|governatore|senatore|senatrice|segretario|portavoce",
		conj:   "e|ed",
		labels: "volo|chilometro|km|via|viale|numero|articolo|linea|strada|autostrada|ore|alle|piano", rise: "salito|saliti|sale|salgono|aumentato|arrivato",
		generic: "autorità|governo|bilancio|provvisorio|primo|primi|dati|cifre|funzionari|fonti|fonte|media|locali|le|il|la|i|gli",
		sources: map[string]string{"police": "polizia", "army": "esercito", "health ministry": "ministero della salute", "interior ministry": "ministero dell'interno|viminale", "defence ministry": "ministero della difesa", "foreign ministry": "farnesina|ministero degli esteri", "fire brigade": "vigili del fuoco", "rescuers": "soccorritori|protezione civile", "prosecutors": "procura"},
		days:    "oggi|stanotte|notte|sera|mattina", definite: "i|gli|le|questi|queste|suoi", others: "altri|altre",
		people: "persone",
		kinds: map[string]string{
			"killed":     "morti|uccisi|uccise|deceduti|decedute|decessi|morto|morta|sono morte|perso la vita",
			"casualties": "vittime",
			"recovered":  "guariti|guarite|dimessi",
			"injured":    "feriti|ferite|ferito|ferita",
			"captured":   "catturati|catturate|prigionieri",
			"to be sent": "invierà|inviare|schierare|schiererà",
			"deployed":   "schierati|inviati|dispiegati|mobilitati",
			"arrested":   "arrestati|arrestate|arresti|fermati|fermate|arrestato|fermato|manette",
			"displaced":  "sfollati|sfollate|evacuati|evacuate",
			"on strike":  "scioperanti|in sciopero",
			"protesting": "manifestanti|dimostranti",
			"missing":    "dispersi|disperse|scomparsi",
			"rescued":    "salvati|salvate|soccorsi|tratti in salvo",
			"laid off":   "licenziamenti|licenziati|esuberi",
			"infected":   "contagiati|infettati|positivi",
			"rate":       "dazi|dazio|tassa|tasse|imposta|imposte|inflazione|tasso|disoccupazione",
		},
		hedges: map[string]string{
			"more than": "più di|oltre", "at least": "almeno", "almost": "quasi", "up to": "fino a", "less than": "meno di", "about": "circa",
		},
		numbers:   "due:2 tre:3 quattro:4 cinque:5 sei:6 sette:7 otto:8 nove:9 dieci:10 undici:11 dodici:12 venti:20 trenta:30 quaranta:40 cinquanta:50 cento:100 mille:1000",
		scales:    "cento:100 mila:1e3 mille:1e3 milione:1e6 milioni:1e6 mln:1e6 miliardo:1e9 miliardi:1e9 mld:1e9",
		according: "secondo|stando a",
		say:       "detto|dichiarato|riferito|confermato|annunciato|spiegato|affermato|riferisce|dice|spiega|comunicato|precisato",
		aux:       "ha|hanno|aveva|avevano|anche|già",
		articles:  "il|lo|la|i|gli|le|l'|un|una",
		linkers:   "di|del|della|dell'|dei|degli",
		stop:      "a|in|di|da|e|o|ad|al|alla|nel|sono|è|stati|state|che|lui|lei|loro|hanno|ha|siano|sia|vengono|viene|furono|erano|rimaste|rimasti",
		measures:  "metri|metro|chilometri|km|giorno|giorni|anno|anni|ora|ore|minuti|settimane|mese|mesi|volte|gradi|punti|ettari",
		money:     "euro|dollari|sterline",
		things:    "case|edifici|alberghi|abitazioni|auto|veicoli|città|paesi|villaggi|scuole|ospedali|attacchi|attentati|incidenti|comuni|province|regioni|incendi|interventi",
		cases:     "casi|contagi|infezioni|malati",

		decimalComma: true,
	},
	"pt": {
		titles: "presidente|primeiro-ministro|ministro|ministra|chanceler|prefeito|prefeita|rei|rainha|príncipe|princesa|papa|governador|governadora|senador|senadora|porta-voz",
		conj:   "e",
		labels: "voo|quilômetro|quilómetro|km|rua|avenida|número|artigo|linha|rodovia|dia|andar", rise: "subiu|aumentou|chegou|elevou",
		generic: "autoridades|governo|balanço|preliminar|primeiro|primeiros|dados|números|funcionários|fontes|fonte|mídia|imprensa|locais|os|as|o|a",
		sources: map[string]string{"police": "polícia", "army": "exército", "health ministry": "ministério da saúde", "interior ministry": "ministério do interior", "defence ministry": "ministério da defesa", "foreign ministry": "itamaraty|ministério das relações exteriores|ministério dos negócios estrangeiros", "fire brigade": "bombeiros", "prosecutors": "ministério público"},
		days:    "hoje|noite|manhã|tarde", definite: "os|as|estes|estas|seus", others: "outros|outras|mais",
		people: "pessoas",
		kinds: map[string]string{
			"killed":     "mortos|mortas|morreram|morto|morta|mortes|óbitos|faleceram|vítimas fatais|perderam a vida|ceifou",
			"recovered":  "recuperados|recuperadas|curados",
			"injured":    "feridos|feridas|ferido|ferida",
			"captured":   "capturados|capturadas|prisioneiros",
			"to be sent": "enviará|enviar|mobilizar",
			"deployed":   "enviados|enviadas|mobilizados|destacados|posicionados",
			"arrested":   "presos|presas|detidos|detidas|prisões|detenções|preso|detido|prendeu|prenderam",
			"displaced":  "desalojados|desabrigados|deslocados|evacuados",
			"on strike":  "grevistas|em greve",
			"protesting": "manifestantes",
			"missing":    "desaparecidos|desaparecidas",
			"rescued":    "resgatados|resgatadas|socorridos",
			"laid off":   "demissões|demitidos",
			"infected":   "infectados|infectadas|contaminados|contaminadas",
			"rate":       "tarifa|tarifas|imposto|impostos|inflação|taxa|juros|desemprego",
		},
		hedges: map[string]string{
			"more than": "mais de", "at least": "pelo menos|ao menos", "about": "cerca de|aproximadamente", "almost": "quase",
			"up to": "até", "less than": "menos de",
		},
		numbers:   "dois:2 duas:2 três:3 quatro:4 cinco:5 seis:6 sete:7 oito:8 nove:9 dez:10 onze:11 doze:12 vinte:20 trinta:30 quarenta:40 cinquenta:50 cem:100 mil:1000",
		scales:    "cem:100 mil:1e3 milhão:1e6 milhões:1e6 bilhão:1e9 bilhões:1e9 mi:1e6",
		according: "segundo|de acordo com|conforme",
		say:       "disse|disseram|afirmou|afirmaram|informou|informaram|declarou|confirmou|confirmaram|anunciou|explicou|relatou",
		aux:       "tinha|também|já",
		articles:  "o|a|os|as|um|uma",
		linkers:   "de|do|da|dos|das",
		stop: "a|o|os|as|de|do|da|dos|das|em|no|na|nos|nas|por|para|com|e|ou|que|foram|foi|são|estão|estavam|ficaram|" +
			"tinham|ter|ser|sido|durante|após|se|ele|ela|eles|elas",
		measures: "metros|metro|quilômetros|quilómetros|km|dia|dias|ano|anos|hora|horas|minutos|semanas|mês|meses|vezes|graus|pontos|hectares",
		money:    "reais|euros|dólares",
		things:   "casas|edifícios|prédios|carros|veículos|cidades|aldeias|países|escolas|hospitais|ataques|atentados|acidentes|municípios|estados|incêndios",
		cases:    "casos|contágios|infecções|doentes",

		decimalComma: true,
	},
	"ru": {
		titles:      "президент|премьер|министр|канцлер|мэр|король|королева|принц|папа|глава|губернатор|депутат|сенатор|председатель|спикер",
		caseEndings: "ами|ями|ой|ей|ом|ем|ым|им|ам|ах|а|я|и|ы|у|ю|е|й|ь",
		conj:        "и|а",
		labels:      "рейс|рейса|км|улица|улице|улицы|дом|дома|номер|статья|статьи|статье|линия|трасса|трассе|шоссе|квартира", rise: "возросло|выросло|возросла|выросла|увеличилось|увеличилась|достигло|достигла",
		generic: "власти|властей|предварительным|предварительные|данным|данные|первым|правительство|правительства|чиновники|источники|источников|сми|официальные|местные|местных",
		sources: map[string]string{"police": "полиция|полиции", "army": "армия|армии", "health ministry": "минздрав|минздрава", "interior ministry": "мвд", "defence ministry": "минобороны", "foreign ministry": "мид", "rescuers": "мчс|спасатели", "prosecutors": "прокуратура|прокуратуры"},
		days:    "сегодня|ночью|утром|вечером", definite: "", others: "других|ещё|еще|остальных",
		people: "человек|людей|человека|жителей",
		kinds: map[string]string{
			"killed": "погибли|погиб|погибла|погибших|погибшие|погибло|убиты|убито|убитых|убили|скончались|скончался|умерли|умер|умерших|" +
				"смертей|смерти|жертвами|гибели|унесло|унесли|унёс|унес",
			"recovered":  "выздоровели|выздоровевших|выздоровело",
			"injured":    "ранены|ранено|раненых|ранения|пострадали|пострадавших|пострадавшие|пострадало|травмы",
			"captured":   "плен|пленных|пленены",
			"to be sent": "направит|отправит|пошлет|пошлёт",
			"deployed":   "направлены|отправлены|размещены|переброшены|развернуты",
			"arrested":   "задержал|задержала|задержало|задержаны|задержано|задержанных|задержали|арестованы|арестовано|арестованных|арестовали|задержания",
			"displaced":  "эвакуированы|эвакуировано|эвакуировали|переселенцев|беженцев",
			"on strike":  "бастуют|забастовке|бастующих",
			"protesting": "протестующих|протестующие|демонстрантов|митингующих|манифестантов",
			"missing":    "без вести|пропавших|пропавшими",
			"rescued":    "спасены|спасено|спасли",
			"laid off":   "уволены|увольнений|сокращений",
			"infected":   "заразились|заражены|заражённых|зараженных|инфицированных|инфицированы",
			"rate":       "пошлины|пошлин|налог|налога|инфляция|инфляции|ставка|ставку|безработицы",
		},
		hedges: map[string]string{
			"more than": "более|больше|свыше|более чем", "at least": "не менее|как минимум|по меньшей мере", "about": "около|примерно|порядка",
			"almost": "почти", "nearly": "почти", "up to": "до", "less than": "менее|меньше",
		},
		numbers: "два:2 две:2 двух:2 три:3 трех:3 трёх:3 четыре:4 четырех:4 четырёх:4 пять:5 пяти:5 шесть:6 шести:6 семь:7 семи:7 " +
			"восемь:8 восьми:8 девять:9 девяти:9 десять:10 десяти:10 двадцать:20 тридцать:30 сто:100",
		scales:    "тысяча:1e3 тысячи:1e3 тысяч:1e3 тыс:1e3 миллион:1e6 миллиона:1e6 миллионов:1e6 млн:1e6 миллиард:1e9 миллиарда:1e9 миллиардов:1e9 млрд:1e9",
		according: "по данным|по словам|согласно|по информации|по сведениям|по оценкам",
		say:       "сообщил|сообщила|сообщили|сообщило|сообщает|сообщают|заявил|заявила|заявили|сказал|сказала|рассказал|рассказала|подтвердил|подтвердила|подтвердили|отметил|уточнил",
		aux:       "также|уже|ранее",
		linkers:   "",
		stop:      "в|во|на|с|со|к|у|о|об|и|а|но|при|после|из|за|от|до|что|он|она|они|оно|были|был|была|было|получили|получил|получила",
		measures:  "метров|километров|км|дней|дня|день|лет|года|год|часов|часа|минут|недель|месяцев|раз|градусов|гектаров|квадратных|кв|кг|килограммов|тонн|тонны|литров",
		money:     "рублей|рубля|долларов|евро",
		things:    "домов|зданий|домах|автомобилей|машин|городов|городах|сел|поселков|стран|школ|больниц|атак|нападений|аварий|регионах|регионов|пожаров|пожара|пожары|очагов",
		cases:     "случаев|случая|случаи|заражений|заражения|заболевших|больных",

		decimalComma: true,
	},
	"pl": {
		titles:      "prezydent|premier|minister|kanclerz|burmistrz|prezes|król|królowa|książę|papież|pan|pani|marszałek|poseł|posłanka|senator|wicepremier|rzecznik|rzeczniczka",
		caseEndings: "ami|ach|ech|om|em|ie|ę|ą|a|i|y|e|u",
		conj:        "i|a|oraz",
		labels:      "lot|km|ulica|ulicy|ul|numer|artykuł|art|linia|linii|droga|drodze|godz|godzinie|autostrada", rise: "wzrosła|wzrosło|wzrósł",
		generic: "władze|władz|wstępnym|wstępne|dane|danych|pierwszych|rząd|urzędnicy|źródła|źródeł|media|lokalne|lokalnych",
		sources: map[string]string{"police": "policja|policji", "army": "wojsko|armia", "health ministry": "ministerstwo zdrowia|mz", "interior ministry": "mswia", "defence ministry": "mon", "fire brigade": "straż pożarna|straży pożarnej", "prosecutors": "prokuratura|prokuratury"},
		days:    "dziś|dzisiaj|nocy", definite: "", others: "innych|kolejnych|kolejne|inne",
		people: "osób|osoby|ludzi|osoba",
		kinds: map[string]string{
			"killed":     "zginęło|zginęli|zginął|zginęła|zabitych|zabici|zabito|zmarło|zmarli|zmarł|śmiertelnych|zgonów|nie żyje|nie żyją|ofiar śmiertelnych|zginęły|pochłonęła|pochłonął|pochłonęło",
			"recovered":  "wyzdrowiało|wyzdrowieli|wyzdrowiałych|ozdrowieńców",
			"injured":    "rannych|ranni|ranne|ranny|obrażenia|poszkodowanych|poszkodowani",
			"captured":   "jeńców|niewoli|pojmanych",
			"to be sent": "wyśle|wysłać|rozmieścić|rozmieści",
			"deployed":   "wysłano|rozmieszczono|wysłanych|rozmieszczonych|stacjonuje|stacjonujących",
			"arrested":   "zatrzymano|zatrzymanych|zatrzymani|aresztowano|aresztowanych|aresztowani|zatrzymała|zatrzymali",
			"displaced":  "ewakuowano|ewakuowanych|przesiedlonych",
			"on strike":  "strajkujących|strajkuje|strajkują",
			"protesting": "demonstrantów|protestujących|manifestantów",
			"missing":    "zaginionych|zaginęło|zaginieni|zaginęli",
			"rescued":    "uratowano|uratowanych|uratowani",
			"laid off":   "zwolnień|zwolnionych|zwolniono",
			"infected":   "zakażonych|zakażeni|zarażonych|zachorowań",
			"rate":       "cła|cło|ceł|cłami|podatek|podatku|inflacja|inflacji|stopa|stopy|bezrobocia",
		},
		hedges: map[string]string{
			"more than": "ponad|więcej niż|przeszło", "at least": "co najmniej|przynajmniej", "about": "około|ok .|blisko",
			"almost": "prawie|niemal", "less than": "mniej niż",
		},
		numbers: "dwa:2 dwie:2 dwóch:2 trzy:3 trzech:3 cztery:4 czterech:4 pięć:5 pięciu:5 sześć:6 sześciu:6 siedem:7 siedmiu:7 osiem:8 " +
			"ośmiu:8 dziewięć:9 dziewięciu:9 dziesięć:10 dziesięciu:10 dwadzieścia:20 sto:100",
		scales:    "tysiąc:1e3 tysiące:1e3 tysięcy:1e3 tys:1e3 milion:1e6 miliony:1e6 milionów:1e6 mln:1e6 miliard:1e9 miliardów:1e9 mld:1e9",
		according: "według|zdaniem|jak podał|jak podała|jak podało|jak poinformował|jak poinformowała|jak poinformowało",
		say:       "powiedział|powiedziała|podał|podała|podało|poinformował|poinformowała|poinformowało|przekazał|przekazała|oświadczył|oświadczyła|potwierdził|potwierdziła",
		aux:       "też|także|również|już",
		stop:      "w|we|na|z|ze|do|i|a|po|od|o|że|przez|podczas|to|on|ona|oni|zostało|zostali|zostały|został|została|są|był|była|było|byli",
		measures:  "metrów|kilometrów|km|dni|dzień|lat|lata|rok|godzin|godziny|minut|tygodni|miesięcy|razy|stopni|hektarów",
		money:     "złotych|zł|euro|dolarów",
		things:    "domów|budynków|samochodów|pojazdów|miast|miastach|wsi|krajów|szkół|szpitali|ataków|wypadków|województw|województwach|pożarów|zdarzeń|zagrożeń|alarmów|interwencji",
		cases:     "przypadków|przypadki|zakażeń|zakażenia|chorych",

		decimalComma: true,
	},
	"tr": {
		titles: "cumhurbaşkanı|başbakan|bakan|bakanı|başkan|başkanı|vali|kral|kraliçe|prens|papa|sayın|sözcüsü",
		conj:   "ve",
		labels: "sefer|km|sokak|sokağı|cadde|caddesi|numara|no|madde|maddesi|saat|hat", rise: "",
		generic: "yetkililer|yetkilileri|hükümet|kaynaklar|kaynaklara|medya|yerel",
		sources: map[string]string{"police": "polis", "army": "ordu|tsk", "health ministry": "sağlık bakanlığı", "interior ministry": "içişleri bakanlığı", "defence ministry": "milli savunma bakanlığı|msb", "fire brigade": "itfaiye"},
		days:    "pazar|bugün|gece", definite: "", others: "diğer|daha",
		people: "kişi|kişinin|insan",
		kinds: map[string]string{
			"killed":     "öldü|öldürüldü|öldürdü|hayatını kaybetti|can verdi|yaşamını yitirdi|ölü|ölümü|hayatını kaybeden",
			"recovered":  "iyileşti|iyileşen|iyileştiği|taburcu",
			"injured":    "yaralandı|yaralı|yaralanan|yaralandığı",
			"captured":   "esir",
			"to be sent": "gönderecek|konuşlandıracak",
			"deployed":   "konuşlandırıldı|gönderildi|sevk edildi",
			"arrested":   "gözaltına|tutuklandı|gözaltı|tutuklama|tutuklanan",
			"displaced":  "tahliye edildi|evsiz",
			"protesting": "protestocu|göstericiler|eylemci",
			"missing":    "kayıp|kayboldu",
			"rescued":    "kurtarıldı",
			"laid off":   "işten çıkarıldı|işten çıkarma",
			"infected":   "enfekte",
			"rate":       "gümrük|vergi|enflasyon|faiz|işsizlik",
		},
		hedges:   map[string]string{"about": "yaklaşık|tahminen", "at least": "en az", "almost": "neredeyse"},
		numbers:  "iki:2 üç:3 dört:4 beş:5 altı:6 yedi:7 sekiz:8 dokuz:9 on:10 yirmi:20 otuz:30 yüz:100 bin:1000",
		scales:   "yüz:100 bin:1e3 milyon:1e6 milyar:1e9",
		after:    "göre",
		stop:     "ve|ile|de|da|ki|bu|o",
		measures: "metre|kilometre|km|gün|günde|günlük|yıl|yılda|yıllık|saat|saatte|saatlik|dakika|dakikada|hafta|ay|kez|kere|derece|yaşında|yaşındaki|yaşına|yaşlı",
		money:    "lira|dolar|avro|euro",
		things:   "ev|evi|bina|araç|şehir|il|ilde|köy|ülke|okul|hastane|saldırı|kaza|yangın",
		cases:    "vaka|vakası|vakaya",

		subjectWords: 1,

		decimalComma: true,
	},
}

// malayic fills in the words Malay and Indonesian share (most of their
// figure words) around what is each one's own: numbers, scales, reporting
// verbs, labels, sources, days and the decimal mark.
func malayic(w figureWordList) figureWordList {
	w.kinds = map[string]string{
		"killed":     "terbunuh|maut|meninggal dunia|meninggal|terkorban|mengorbankan|korban jiwa|korban tewas|tewas|menewaskan|mati|kematian|meragut|merenggut",
		"injured":    "cedera|tercedera|luka|luka-luka|parah",
		"arrested":   "ditahan|ditangkap|penahanan|tangkapan|diamankan",
		"missing":    "hilang",
		"rescued":    "diselamatkan|dievakuasi",
		"displaced":  "dipindahkan|mengungsi|pengungsi|pindah|kehilangan tempat tinggal",
		"protesting": "penunjuk perasaan|demonstran|pengunjuk rasa",
		"deployed":   "dikerahkan|dihantar|dikirim|ditempatkan",
		"to be sent": "akan menghantar|akan mengerahkan|akan mengirim",
		"infected":   "dijangkiti|terinfeksi|positif",
		"recovered":  "pulih|sembuh",
		"laid off":   "dibuang kerja|di-phk|phk",
		"rate":       "cukai|pajak|tarif|inflasi|kadar|suku bunga",
	}
	w.hedges = map[string]string{
		"more than": "lebih|lebih daripada|lebih dari|melebihi", "at least": "sekurang - kurangnya|sedikitnya|setidaknya",
		"about": "kira - kira|sekitar|lebih kurang|kurang lebih", "almost": "hampir", "up to": "sehingga|hingga",
	}
	w.according = "menurut|memetik|berdasarkan"
	w.aux = "telah|juga|sudah|turut"
	w.stop = "di|ke|dari|daripada|yang|dan|pada|dalam|untuk|dengan|oleh|telah|akan|sejak|selepas|setelah|termasuk|itu|ini|adalah|ialah|sebanyak|manakala|serta"
	w.measures = "hari|tahun|bulan|minggu|jam|minit|menit|kilometer|km|meter|kali|tan|magnitud|skala"
	w.money = "ringgit|rm|dolar|rupiah|rp"
	w.things = "rumah|bangunan|kenderaan|kendaraan|kereta|mobil|bandar|kota|kampung|desa|negeri|negara|sekolah|hospital|rumah sakit|serangan|kemalangan|kecelakaan|daerah|kawasan|premis"
	w.cases = "kes|kasus"
	w.people = "orang|penduduk|individu|warga"
	w.others = "lain|lagi"
	return w
}

// lexicon is what the figure rules read for one language: English and
// Arabic words always (news in any language quotes them), and the
// language's own from figureWords.
type lexicon struct {
	lang      string
	kinds     []kindCue
	hedges    []hedgeCue
	rate      map[string]bool
	units     map[string]float64
	scales    map[string]float64
	months    map[string]bool
	according [][]string
	after     map[string]bool
	say       map[string]bool
	aux       map[string]bool
	articles  map[string]bool
	linkers   map[string]bool
	stop      map[string]bool
	cue       map[string]bool // every word of a kind cue: a subject or a source ends there
	protest   map[string]bool // nouns of protest: who is counted, not what happened to them
	measures  map[string]bool
	money     map[string]bool
	things    map[string]bool
	cases     map[string]bool
	days      map[string]bool
	definite  map[string]bool
	hedgeWord map[string]bool // the first words of the language's hedges: a source ends there
	labels    map[string]bool
	rise      map[string]bool
	conj      map[string]bool
	// cjk: Chinese, Japanese or Korean, read by cjkSentenceFigures.
	cjk      *cjkWords
	cjkKinds []kindCue
	// own is set when the language has figure words of its own; english
	// when the English-only rules apply (a past tense ends a subject).
	own, english, decimalComma, nounCaps bool
	nounBefore                           map[string]bool
	caseEndings                          []string
	nounEndings                          []string
	subjectWords                         int
}

type kindCue struct {
	cue  []string
	kind string
}

type hedgeCue struct {
	words []string
	q     string
}

var lexicons = sync.OnceValue(func() map[string]*lexicon {
	m := map[string]*lexicon{}
	for lang, w := range figureWords {
		m[lang] = compileLexicon(lang, &w)
	}
	return m
})

// base is the lexicon of English and Arabic, and of every language with
// no figure words of its own.
var base = sync.OnceValue(func() *lexicon { return compileLexicon("", nil) })

// lexiconFor returns the lexicon of lang ("" or a language with no words
// of its own: English and Arabic).
func lexiconFor(lang string) *lexicon {
	if lx := lexicons()[lang]; lx != nil {
		return lx
	}
	if lx := cjkLexicons()[lang]; lx != nil {
		return lx
	}
	return base()
}

// cjkLexicons are the lexicons of Chinese, Japanese and Korean: English
// and Arabic's, read by their own rules (cjkSentenceFigures).
var cjkLexicons = sync.OnceValue(func() map[string]*lexicon {
	m := map[string]*lexicon{}
	for lang, w := range cjkFigures {
		lx := compileLexicon(lang, nil)
		lx.cjk, lx.cjkKinds, lx.english = w, w.kindCues(), false
		m[lang] = lx
	}
	return m
})

func compileLexicon(lang string, w *figureWordList) *lexicon {
	lx := &lexicon{lang: lang, kinds: kinds, hedges: hedges, rate: rateCues, units: units, scales: scales,
		english: w == nil || lang == "en", subjectWords: 5}
	set := func(words ...string) map[string]bool {
		m := map[string]bool{}
		for _, s := range words {
			for _, f := range strings.Split(s, "|") {
				if f = strings.TrimSpace(f); f != "" {
					m[f] = true
				}
			}
		}
		return m
	}
	lx.months = map[string]bool{}
	for k := range monthWords {
		lx.months[k] = true
	}
	if w == nil {
		lx.stop = map[string]bool{}
		lx.after, lx.say, lx.aux, lx.articles, lx.linkers = map[string]bool{}, map[string]bool{}, map[string]bool{}, map[string]bool{}, map[string]bool{}
		lx.measures, lx.money, lx.things, lx.cases = measures, moneyWords, things, infections
		lx.days, lx.definite = map[string]bool{}, definite
		// English's conjunctions that may join two clauses: a cue
		// before one does not reach a number with a clause of its own
		// (ownClause).
		lx.labels, lx.rise, lx.conj = map[string]bool{}, map[string]bool{}, set("and|but|while|whereas")
		lx.cue, lx.protest = cueWord, protestNoun
		return lx
	}
	lx.own, lx.decimalComma, lx.nounCaps = true, w.decimalComma, w.nounCaps
	lx.nounBefore = set(w.nounBefore)
	if w.caseEndings != "" {
		// longest first: "ией" before "ей" before "й"
		lx.caseEndings = strings.Split(w.caseEndings, "|")
		slices.SortStableFunc(lx.caseEndings, func(a, b string) int {
			return utf8.RuneCountInString(b) - utf8.RuneCountInString(a)
		})
	}
	if w.nounEndings != "" {
		lx.nounEndings = strings.Split(w.nounEndings, "|")
	}
	if w.subjectWords > 0 {
		lx.subjectWords = w.subjectWords
	}
	for k := range tok.MonthIndex(lang) {
		lx.months[k] = true
	}
	lx.kinds = append([]kindCue(nil), kinds...)
	lx.rate = set(w.kinds["rate"])
	for k := range rateCues {
		lx.rate[k] = true
	}
	lx.cue = map[string]bool{}
	for k := range cueWord {
		lx.cue[k] = true
	}
	lx.protest = map[string]bool{}
	for k := range protestNoun {
		lx.protest[k] = true
	}
	function := set(w.stop, w.aux, w.articles, w.linkers)
	for _, s := range tok.StopWords(lang) {
		function[s] = true
	}
	for _, kind := range slices.Sorted(maps.Keys(w.kinds)) {
		if kind == "rate" {
			continue
		}
		for _, c := range strings.Split(w.kinds[kind], "|") {
			f := strings.Fields(c)
			lx.kinds = append(lx.kinds, kindCue{f, kind})
			for _, x := range f {
				// "en grève", "perdu la vie": a function word of a cue
				// still ends nothing
				if len(f) == 1 || !function[x] {
					lx.cue[x] = true
				}
			}
			// who is counted rather than what happened to them:
			// "300 Demonstranten" (what the clause says they did
			// decides the kind)
			if len(f) == 1 && (kind == "protesting" || kind == "on strike") {
				lx.protest[f[0]] = true
			}
		}
	}
	// The language's hedges first, longer before shorter ("weit über"
	// before "über"), then the English and Arabic ones in their order.
	lx.hedgeWord = map[string]bool{}
	for _, q := range slices.Sorted(maps.Keys(w.hedges)) {
		for _, p := range strings.Split(w.hedges[q], "|") {
			f := strings.Fields(p)
			lx.hedges = append(lx.hedges, hedgeCue{f, q})
			lx.hedgeWord[f[0]] = true
		}
	}
	sort.SliceStable(lx.hedges, func(i, j int) bool {
		a, b := lx.hedges[i], lx.hedges[j]
		if len(a.words) != len(b.words) {
			return len(a.words) > len(b.words)
		}
		return strings.Join(a.words, " ") < strings.Join(b.words, " ")
	})
	lx.hedges = append(lx.hedges, hedges...)
	lx.units = copyNumbers(units, w.numbers)
	lx.scales = copyNumbers(scales, w.scales)
	for _, p := range strings.Split(w.according, "|") {
		if f := strings.Fields(p); len(f) > 0 {
			lx.according = append(lx.according, f)
		}
	}
	lx.after, lx.say, lx.aux = set(w.after), set(w.say), set(w.aux)
	lx.articles, lx.linkers = set(w.articles), set(w.linkers)
	lx.labels, lx.rise, lx.conj = set(w.labels), set(w.rise), set(w.conj)
	lx.stop = set(w.stop)
	for _, s := range tok.StopWords(lang) {
		lx.stop[s] = true
	}
	lx.measures, lx.money = union(measures, set(w.measures)), union(moneyWords, set(w.money))
	lx.things, lx.cases = union(things, set(w.things)), union(infections, set(w.cases))
	lx.days, lx.definite = set(w.days), union(definite, set(w.definite))
	for _, d := range tok.DayWords(lang) {
		lx.days[d] = true
	}
	return lx
}

func union(a, b map[string]bool) map[string]bool {
	m := make(map[string]bool, len(a)+len(b))
	for k := range a {
		m[k] = true
	}
	for k := range b {
		m[arabic.Fold(k)] = true
	}
	return m
}

// copyNumbers returns base with the "word:value" pairs of list added.
func copyNumbers(base map[string]float64, list string) map[string]float64 {
	m := make(map[string]float64, len(base))
	for k, v := range base {
		m[k] = v
	}
	for _, p := range strings.Fields(list) {
		w, v, ok := strings.Cut(p, ":")
		if !ok {
			continue
		}
		if f, ok := parseDigits(v); ok {
			m[w] = f
		}
	}
	return m
}

// phraseAt returns the length of the longest phrase of ps at token i, or 0.
func phraseAt(ts []token, i int, ps [][]string) int {
	best := 0
	for _, p := range ps {
		if len(p) <= best || i+len(p) > len(ts) {
			continue
		}
		ok := true
		for k, w := range p {
			if ts[i+k].low != w {
				ok = false
				break
			}
		}
		if ok {
			best = len(p)
		}
	}
	return best
}

// value reads the digits of token i in the lexicon's number format. In a
// language that writes a decimal comma, "1.500" and "1.500.000" group
// thousands and "2,5" is two and a half; a single comma before three
// digits groups thousands too ("1,500 Menschen") unless a scale word
// follows ("1,500 Millionen"). In any language "60.000" is sixty thousand
// when no scale follows: no one writes sixty with three zeros after a
// point, and Arabic news often groups with a point.
func (lx *lexicon) value(ts []token, i int) (float64, bool) {
	s := ts[i].low
	scaled := i+1 < len(ts) && lx.scales[ts[i+1].low] >= 1000
	dots, commas := strings.Count(s, "."), strings.Count(s, ",")
	switch {
	case lx.decimalComma && dots > 0 && commas == 1 && strings.LastIndexByte(s, ',') > strings.LastIndexByte(s, '.'):
		s = strings.Replace(strings.ReplaceAll(s, ".", ""), ",", ".", 1) // "1.234,5"
	case lx.decimalComma && commas == 1 && dots == 0 && !(groupsOfThree(s, ',') && !scaled):
		s = strings.Replace(s, ",", ".", 1) // "2,5"
	case commas == 0 && dots > 0 && groupsOfThree(s, '.') &&
		(dots > 1 || !scaled && (lx.decimalComma || strings.HasSuffix(s, ".000"))):
		s = strings.ReplaceAll(s, ".", "") // "1.500", "60.000"
	}
	return parseDigits(s)
}

// groupsOfThree reports whether s is digits in groups of three after the
// first, separated by sep: "1.500", "12,000,000"; not "0.500".
func groupsOfThree(s string, sep byte) bool {
	parts := strings.Split(s, string(sep))
	if len(parts) < 2 || len(parts[0]) == 0 || len(parts[0]) > 3 || parts[0] == "0" {
		return false
	}
	for _, p := range parts {
		if !plainDigits(p) {
			return false
		}
	}
	for _, p := range parts[1:] {
		if len(p) != 3 {
			return false
		}
	}
	return true
}

// plainDigits reports whether s is ASCII digits only.
func plainDigits(s string) bool {
	for i := 0; i < len(s); i++ {
		if !isDigitByte(s[i]) {
			return false
		}
	}
	return s != ""
}

// sources finds the sources a sentence names in the lexicon's own words:
// after a phrase such as "laut", "según" or "по данным"; before a
// postposition ("der Polizei zufolge"); and as the subject of a reporting
// verb, before it ("La policía informó") or, inverted, after it
// ("…, dijo el ministro", "teilte die Polizei mit").
func (lx *lexicon) sources(text string, ts []token) []attribution {
	var out []attribution
	for i := 0; i < len(ts); i++ {
		t := ts[i]
		if n := phraseAt(ts, i, lx.according); n > 0 {
			if j, e := lx.sourceAfter(ts, i+n); e > j {
				out = append(out, attribution{who: text[ts[j].start:ts[e-1].end], start: t.start, end: ts[e-1].end})
			}
			i += n - 1
			continue
		}
		if !lx.after[t.low] && !lx.say[t.low] {
			continue
		}
		if j, e := lx.sourceBefore(ts, i); e > j {
			out = append(out, attribution{who: text[ts[j].start:ts[e-1].end], start: ts[j].start, end: t.end})
			continue
		}
		if lx.say[t.low] {
			if j, e := lx.sourceAfter(ts, i+1); e > j {
				out = append(out, attribution{who: text[ts[j].start:ts[e-1].end], start: t.start, end: ts[e-1].end})
			}
		}
	}
	return out
}

// sourceAfter returns the tokens [j, e) of the source that starts at token
// i: articles skipped, up to a punctuation mark, a number, a verb or a
// function word other than one inside a name ("Ministerio de Salud").
func (lx *lexicon) sourceAfter(ts []token, i int) (j, e int) {
	j = i
	for j < len(ts) && (lx.articles[ts[j].low] || lx.aux[ts[j].low] || lx.timeWord(ts[j].low)) {
		j++
	}
	e = j
	for e < len(ts) && e < j+8 && lx.sourceWord(ts, e) {
		e++
	}
	// A name's linker does not end it: "Ministerio de".
	for e > j && lx.linkers[ts[e-1].low] {
		e--
	}
	return j, e
}

// sourceBefore returns the tokens [j, e) of the subject before the
// reporting verb or postposition at token i, or an empty span when there
// is none (the verb follows a punctuation mark or a conjunction) or it is
// no source (a preposition or a day: "Am Montag teilte …").
func (lx *lexicon) sourceBefore(ts []token, i int) (j, e int) {
	e = i
	for e > 0 && lx.aux[ts[e-1].low] {
		e--
	}
	j = e
	for j > 0 && e-j < 8 && lx.sourceWord(ts, j-1) {
		j--
	}
	for j < e && (lx.articles[ts[j].low] || lx.linkers[ts[j].low]) {
		j++
	}
	if j == e || lx.stop[ts[j].low] && !lx.articles[ts[j].low] || lx.timeWord(ts[j].low) {
		return 0, 0
	}
	return j, e
}

// sourceWord reports whether token k can be part of a source's name.
func (lx *lexicon) sourceWord(ts []token, k int) bool {
	w := ts[k]
	if (w.s == "-" || w.s == "'" || w.s == "’") && k > 0 && k+1 < len(ts) && ts[k-1].end == w.start && ts[k+1].start == w.end {
		return true // "porte-parole"
	}
	if w.s == "." && k > 0 && k+1 < len(ts) && ts[k-1].end == w.start && len(ts[k-1].s) <= 3 && unicode.IsUpper(firstRune(ts[k-1].s)) &&
		ts[k+1].start > w.end && unicode.IsUpper(firstRune(ts[k+1].s)) {
		return true // "St. Louis"
	}
	if !unicode.IsLetter(firstRune(w.s)) || lx.say[w.low] || lx.after[w.low] || lx.cue[w.low] || lx.timeWord(w.low) || lx.hedgeWord[w.low] {
		return false
	}
	if lx.linkers[w.low] || lx.articles[w.low] {
		return true
	}
	return !lx.stop[w.low] && !lx.aux[w.low]
}

// peopleWords are the nouns for people as such in every language.
var peopleWords = sync.OnceValue(func() map[string]bool {
	m := map[string]bool{"people": true, "persons": true, "person": true}
	for _, w := range strings.Fields("شخص شخصا أشخاص اشخاص") {
		m[arabic.Fold(w)] = true
	}
	for _, w := range figureWords {
		for _, p := range strings.Split(w.people, "|") {
			if p != "" {
				m[p] = true
			}
		}
	}
	for _, w := range cjkFigures {
		for _, r := range w.people {
			m[string(r)] = true
		}
	}
	return m
})

// SubjectKey returns the word that keys what a figure counts: the last
// word of its subject in lower case, or "people" when that word is a noun
// for people in any language ("Menschen", "personas", "человек"), so that
// the same quantity reported in several languages meets.
func SubjectKey(subject string) string {
	f := strings.Fields(strings.ToLower(subject))
	if len(f) == 0 {
		return ""
	}
	w := f[len(f)-1]
	if peopleWords()[arabic.Fold(w)] {
		return "people"
	}
	if protestWords()[arabic.Fold(w)] {
		return "protesters" // "manifestantes", "протестующих", "المتظاهرين"
	}
	return w
}

// protestWords are the nouns for protesters and strikers in every
// language: who is counted when the count is of a protest.
var protestWords = sync.OnceValue(func() map[string]bool {
	m := map[string]bool{}
	for k := range protestNoun {
		m[k] = true
	}
	for _, lx := range lexicons() {
		for k := range lx.protest {
			m[arabic.Fold(k)] = true
		}
	}
	return m
})

// timeWord reports whether w (lower case) is a day, a month or a time
// word in English, Arabic or the lexicon's language.
func (lx *lexicon) timeWord(w string) bool { return timeWord(w) || lx.month(w) || lx.days[w] }

// month reports whether w (lower case) names a month, with a suffix set
// apart by an apostrophe or not ("4 Şubat'ta").
func (lx *lexicon) month(w string) bool {
	if lx.months[w] {
		return true
	}
	// A suffix set apart by an apostrophe ("4 Şubat'ta"), in a language
	// with words of its own: in English "March's 12 deaths" is a count.
	if i := strings.IndexAny(w, "'’"); i > 0 && lx.own {
		return lx.months[w[:i]]
	}
	return false
}

// othersWords are the subjects, in every language, that only point back
// to the figure before them ("others", "fünf weitere", "آخرين").
var othersWords = sync.OnceValue(func() map[string]bool {
	m := map[string]bool{}
	for _, w := range strings.Fields("others other more additional آخرين آخرون أخرى") {
		m[w] = true
	}
	for _, w := range figureWords {
		for _, p := range strings.Split(w.others, "|") {
			if p != "" {
				m[p] = true
			}
		}
	}
	return m
})

// Anaphoric reports whether a figure's subject only points back to the
// figure before it: "others", "more", "weitere", "otros", "آخرين".
func Anaphoric(subject string) bool {
	s := strings.ToLower(strings.TrimSpace(subject))
	if s == "" || s == "آخرين منهم" {
		return true
	}
	return othersWords()[s]
}

// anyThing reports whether a word of subject names a place, a building, a
// vehicle or an incident: in languages whose adjectives follow the noun
// ("accidentes fatales", "alarmów fałszywych") the last word is not the
// noun.
func (lx *lexicon) anyThing(subject string) bool {
	for _, w := range strings.Fields(strings.ToLower(subject)) {
		if lx.things[w] || lx.cases[w] {
			return true
		}
	}
	return false
}

// cjkWords are the figure words of a language written without spaces
// between words (Chinese, Japanese) or with particles glued to them
// (Korean): cues are found as substrings of the clause around a number
// rather than as words, and a count of people is a number followed by a
// classifier for people ("12人死亡", "34名被告", "1.2万人", "12명이
// 사망"). It is one entry of cjkFigures per language.
type cjkWords struct {
	kinds map[string]string
	// before and after are hedges before the number and after it ("100多人"),
	// afterUnit those after the classifier ("100人以上", "100명 이상").
	before, after, afterUnit map[string]string
	people, cases, bodies    string // classifiers
	scales                   map[string]float64
	// according come before a source ("据新华社"), accordingAfter after it
	// ("警察によると", "경찰에 따르면"); say are reporting verbs after their
	// subject ("卫生部表示"); particles are trimmed from a source's end.
	according, accordingAfter, say, particles string
	// topic are the particles that mark the subject of a reporting verb
	// ("경찰은 … 밝혔다": the police said).
	topic        string
	clause, trim string
	generic      string            // sources that name no one
	sources      map[string]string // as figureWordList.sources
}

var cjkFigures = map[string]*cjkWords{
	// Chinese, simplified and traditional forms.
	"zh": {
		kinds: map[string]string{
			"killed":     "死亡|遇难|遇難|丧生|喪生|罹难|罹難|身亡|丧命|喪命|遇害|被杀|被殺|杀死|殺死|致死|死者",
			"injured":    "受伤|受傷|负伤|負傷|伤者|傷者",
			"casualties": "伤亡|傷亡",
			"arrested":   "被捕|逮捕|拘留|拘捕|抓获|抓獲|羁押|羈押|落网|落網",
			"missing":    "失踪|失蹤|下落不明",
			"displaced":  "疏散|撤离|撤離|流离失所|流離失所|无家可归|無家可歸",
			"rescued":    "获救|獲救|救出|营救|營救",
			"infected":   "感染|确诊|確診",
			"recovered":  "治愈|治癒|康复|康復|出院",
			"protesting": "抗议|抗議|示威|游行|遊行",
			"deployed":   "部署|派遣|派出|增派",
			"captured":   "俘虏|俘虜|战俘|戰俘|被俘",
			"laid off":   "裁员|裁員",
		},
		before: map[string]string{
			"at least": "至少|不少于|不少於", "more than": "超过|超過|逾|多于|多於", "about": "约|約|大约|大約|左右",
			"nearly": "近|将近|將近|接近", "up to": "多达|多達|高达|高達",
		},
		after:     map[string]string{"more than": "多|余|餘"},
		people:    "人名位",
		cases:     "例",
		bodies:    "具",
		scales:    map[string]float64{"万": 1e4, "萬": 1e4, "亿": 1e8, "億": 1e8, "千": 1e3},
		according: "据|據|根据|根據",
		say:       "表示|称|稱|说|說|宣布|透露|证实|證實|指出|报道|報道|通报|通報|消息|统计|統計|显示|顯示",
		clause:    "，。；！？、,;.!?：:（）()「」“”",
		trim:      "今天|昨天|今日|昨日|日前|当天|當天",
		generic:   "当局|當局|官员|官員|消息人士|媒体|媒體|官方|有关部门|有關部門",
		sources: map[string]string{"police": "警方|警察|警察局", "health ministry": "卫生部|衛生部|国家卫健委|國家衛健委|卫健委|衛健委",
			"army": "军方|軍方|军队|軍隊", "foreign ministry": "外交部", "defence ministry": "国防部|國防部"},
	},
	"ja": {
		kinds: map[string]string{
			"killed":     "死亡|死者|亡くな|犠牲|遺体|殺害|死去",
			"injured":    "負傷|けが|重軽傷|重傷|軽傷",
			"arrested":   "逮捕|拘束|身柄",
			"missing":    "行方不明|安否不明",
			"displaced":  "避難",
			"rescued":    "救助|救出",
			"infected":   "感染|陽性",
			"recovered":  "回復|退院",
			"protesting": "抗議|デモ",
			"deployed":   "派遣|配備",
			"laid off":   "解雇|人員削減",
		},
		before:         map[string]string{"at least": "少なくとも|最低", "about": "約|およそ|推定", "up to": "最大"},
		after:          map[string]string{"more than": "余"},
		afterUnit:      map[string]string{"more than": "以上|超", "nearly": "近く", "about": "ほど|程度"},
		people:         "人名",
		scales:         map[string]float64{"万": 1e4, "億": 1e8, "千": 1e3},
		accordingAfter: "によると|によれば",
		clause:         "，。；！？、,;.!?：:（）()「」“”",
		particles:      "は|が|の|に|で",
		generic:        "当局|関係者|消息筋|メディア",
		sources:        map[string]string{"police": "警察|警視庁|県警", "health ministry": "厚生労働省|厚労省", "army": "軍|自衛隊", "fire brigade": "消防|消防庁"},
	},
	"ko": {
		kinds: map[string]string{
			"killed":     "사망|숨져|숨진|숨졌|숨지|목숨을 잃|희생",
			"casualties": "사상자",
			"injured":    "부상|다쳐|다친|다쳤|중상|경상",
			"arrested":   "체포|연행|구속|검거",
			"missing":    "실종",
			"displaced":  "대피|이재민",
			"rescued":    "구조",
			"infected":   "확진|감염",
			"recovered":  "완치|퇴원",
			"protesting": "시위|집회",
			"deployed":   "파견|배치",
			"laid off":   "해고|감원",
		},
		before:         map[string]string{"at least": "최소|적어도", "about": "약", "up to": "최대"},
		after:          map[string]string{"more than": "여"},
		afterUnit:      map[string]string{"more than": "이상|넘게|넘는", "about": "가량|정도|안팎"},
		people:         "명",
		scales:         map[string]float64{"만": 1e4, "억": 1e8, "천": 1e3},
		accordingAfter: "에 따르면|에 의하면",
		say:            "밝혔|말했|전했|발표했",
		topic:          "은|는",
		clause:         "，。；！？、,;.!?：:（）()「」“”",
		particles:      "은|는|이|가|에|의",
		generic:        "당국|관계자|소식통|언론",
		sources:        map[string]string{"police": "경찰|경찰청", "health ministry": "보건복지부|질병관리청", "army": "군|군당국|국방부", "fire brigade": "소방|소방청|소방당국"},
	},
}

// kindCues returns w's kinds as (cue, kind) pairs, longest cue first.
func (w *cjkWords) kindCues() []kindCue {
	var out []kindCue
	for _, kind := range slices.Sorted(maps.Keys(w.kinds)) {
		for _, c := range strings.Split(w.kinds[kind], "|") {
			out = append(out, kindCue{[]string{strings.ReplaceAll(c, " ", "")}, kind})
		}
	}
	sort.SliceStable(out, func(i, j int) bool { return len(out[i].cue[0]) > len(out[j].cue[0]) })
	return out
}

// clauseText returns the text of s's clause after byte at (forward) or
// before it (backward), at most n runes, spaces dropped. A digit ends it
// too: what follows the next number is that number's ("12명이 숨지고
// 30명이 다쳤다").
func (w *cjkWords) clauseText(s string, at int, forward bool, n int) string {
	var rs []rune
	if forward {
		for _, r := range s[at:] {
			if strings.ContainsRune(w.clause, r) || isDigit(r) || len(rs) >= n {
				break
			}
			if !unicode.IsSpace(r) {
				rs = append(rs, r)
			}
		}
		return string(rs)
	}
	for i := at; i > 0 && len(rs) < n; {
		r, size := utf8.DecodeLastRuneInString(s[:i])
		if strings.ContainsRune(w.clause, r) || isDigit(r) {
			break
		}
		if !unicode.IsSpace(r) {
			rs = append([]rune{r}, rs...)
		}
		i -= size
	}
	return string(rs)
}

// cutHedge removes a hedge of hs from the start (or, with suffix, the end)
// of s, and returns the qualifier it carries.
func cutHedge(s string, hs map[string]string, suffix bool) (string, string) {
	for _, q := range slices.Sorted(maps.Keys(hs)) {
		for _, h := range strings.Split(hs[q], "|") {
			if suffix && strings.HasSuffix(s, h) {
				return strings.TrimSuffix(s, h), q
			}
			if rest, ok := strings.CutPrefix(s, h); ok && !suffix {
				return rest, q
			}
		}
	}
	return s, ""
}

// cjkSentenceFigures finds the figures of one sentence in Chinese,
// Japanese or Korean.
func cjkSentenceFigures(s Sentence, ts []token, lx *lexicon) []Figure {
	w := lx.cjk
	var out []Figure
	attrs := w.attributions(s.Text)
	qs := quantities(s.Text, ts, lx)
	for qi := 0; qi < len(qs); qi++ {
		q := qs[qi]
		if q.Spelled || q.Approximate || q.Unit == "percent" {
			continue
		}
		// An ordinal: "第3位", "제3".
		if b := s.Text[:q.Start]; strings.HasSuffix(b, "第") || strings.HasSuffix(b, "제") {
			continue
		}
		after := w.clauseText(s.Text, q.End, true, 16)
		end := q.End
		// A scale, then the rest in digits: "1万2000人", "1만2000명" (the
		// rest may look like a year, so it is read here).
		if r, size := utf8.DecodeRuneInString(s.Text[q.End:]); w.scales[string(r)] > 0 {
			at := q.End + size
			k := at
			for k < len(s.Text) && isDigitByte(s.Text[k]) && k-at < 4 {
				k++
			}
			if rest, ok := parseDigits(s.Text[at:k]); ok && k > at && (k == len(s.Text) || !isDigitByte(s.Text[k])) {
				q.Value = whole(q.Value*w.scales[string(r)] + rest)
				q.End, end = k, k
				after = w.clauseText(s.Text, k, true, 16)
				for qi+1 < len(qs) && qs[qi+1].Start < k {
					qi++
				}
			}
		}
		// A scale glued after the digits: "1.2万人".
		if r, size := utf8.DecodeRuneInString(after); w.scales[string(r)] > 0 {
			x := w.scales[string(r)]
			q.Value, q.Low, q.High = whole(q.Value*x), whole(q.Low*x), whole(q.High*x)
			after = after[size:]
			if i := strings.Index(s.Text[end:], string(r)); i >= 0 && i < 4 {
				end += i + size
			}
		}
		var hedge string
		after, hedge = cutHedge(after, w.after, false)
		if hedge != "" {
			q.Qualifier = hedge
		}
		cl, size := utf8.DecodeRuneInString(after)
		if size == 0 || !strings.ContainsRune(w.people+w.cases+w.bodies, cl) {
			continue // no count of people: "12天", "3月12日", "135亿美元"
		}
		after = after[size:]
		if cl == '人' && (strings.HasPrefix(after, "民币") || strings.HasPrefix(after, "民幣") || strings.HasPrefix(after, "次")) {
			continue // yuan (人民币), visits (人次)
		}
		if after, hedge = cutHedge(after, w.afterUnit, false); hedge != "" {
			q.Qualifier = hedge
		}
		if q.Qualifier == "" {
			_, q.Qualifier = cutHedge(w.clauseText(s.Text, q.Start, false, 16), w.before, true)
		}
		before := w.clauseText(s.Text, q.Start, false, 16)
		kind, best := "", 1<<30
		for _, k := range lx.cjkKinds {
			c := k.cue[0]
			if i := strings.Index(after, c); i >= 0 && utf8.RuneCountInString(after[:i]) < best {
				kind, best = k.kind, utf8.RuneCountInString(after[:i])
			}
			if i := strings.LastIndex(before, c); i >= 0 && utf8.RuneCountInString(before[i+len(c):]) < best {
				kind, best = k.kind, utf8.RuneCountInString(before[i+len(c):])
			}
		}
		cases, bodies := strings.ContainsRune(w.cases, cl), strings.ContainsRune(w.bodies, cl)
		switch {
		case kind == "":
			continue
		case cases && kind != "infected" && kind != "killed" && kind != "recovered":
			continue // cases count the ill
		case bodies && kind != "killed":
			continue
		case cases && kind == "killed" && !strings.HasPrefix(after, "死"):
			continue // "3248例，其中584人死亡": cases are no toll
		}
		subj := string(cl) // 人, 名, 명: people (SubjectKey); 例: cases
		q.End = end
		q.Text = s.Text[q.Start:q.End]
		out = append(out, newFigure(s, q, kind, subj, attrs))
	}
	return out
}

// attributions finds the sources a sentence names: after "据" ("据新华社报道"),
// before "によると" or "에 따르면", and before a reporting verb
// ("卫生部表示").
func (w *cjkWords) attributions(text string) []attribution {
	var out []attribution
	split := func(list string) []string {
		if list == "" {
			return nil
		}
		return strings.Split(list, "|")
	}
	says, before, after := split(w.say), split(w.according), split(w.accordingAfter)
	clean := func(who string) string {
		who = strings.TrimSpace(who)
		// A language that glues particles to words and spaces them
		// (Korean): the source is the word before the marker.
		if f := strings.Fields(who); len(f) > 1 && w.particles != "" {
			who = f[len(f)-1]
		}
		if rs := []rune(who); len(rs) > 10 {
			who = strings.TrimSpace(string(rs[len(rs)-10:]))
		}
		for _, d := range split(w.trim) {
			who = strings.TrimSpace(strings.TrimSuffix(who, d))
		}
		for _, p := range split(w.particles) {
			if r := strings.TrimSuffix(who, p); r != "" {
				who = r
				break
			}
		}
		return who
	}
	// Runs of the script's letters (with the spaces machine translation
	// or Korean puts between words) between clause marks.
	start := -1
	flush := func(end int) {
		if start < 0 {
			return
		}
		run := text[start:end]
		st := start
		start = -1
		for _, a := range before {
			if rest, ok := strings.CutPrefix(run, a); ok {
				rest = strings.TrimSpace(rest)
				for _, v := range says {
					if i := strings.Index(rest, v); i > 0 {
						rest = rest[:i]
					}
				}
				if who := strings.TrimSpace(rest); who != "" && utf8.RuneCountInString(who) <= 16 {
					out = append(out, attribution{who: who, start: st, end: end})
				}
				return
			}
		}
		for _, a := range after {
			if i := strings.Index(run, a); i > 0 {
				if who := clean(run[:i]); who != "" {
					out = append(out, attribution{who: who, start: st, end: st + i + len(a)})
				}
				return
			}
		}
		for _, v := range says {
			if i := strings.Index(run, v); i > 0 {
				who := clean(run[:i])
				// The subject marked by a topic particle earlier in the
				// sentence: "경찰은 3명을 체포했다고 밝혔다".
				if t := w.topicBefore(text[:st+i]); t != "" {
					who = t
				}
				if who != "" {
					out = append(out, attribution{who: who, start: st, end: st + i + len(v)})
				}
				return
			}
		}
	}
	for i, r := range text {
		switch {
		case r >= 0x1100 && unicode.IsLetter(r) || r == ' ' && start >= 0:
			if start < 0 {
				start = i
			}
		default:
			flush(i)
		}
	}
	flush(len(text))
	return out
}

// sourceIndex maps a source as worded, in lower case and without articles,
// to the English name of its kind, and genericSource holds the words that
// name no one, for every language with figure words.
var sourceIndex = sync.OnceValue(func() (idx struct {
	names, generic, articles map[string]bool
	forms                    map[string]string
}) {
	idx.generic, idx.articles, idx.forms = map[string]bool{}, map[string]bool{}, map[string]string{}
	for _, w := range figureWords {
		for _, g := range strings.Split(w.generic, "|") {
			if g != "" {
				idx.generic[g] = true
			}
		}
		for _, a := range strings.Split(w.articles, "|") {
			if a != "" {
				idx.articles[a] = true
			}
		}
		for name, forms := range w.sources {
			idx.forms[name] = name
			for _, f := range strings.Split(forms, "|") {
				idx.forms[f] = name
			}
		}
	}
	for _, w := range cjkFigures {
		for _, g := range strings.Split(w.generic, "|") {
			idx.generic[g] = true
		}
		for name, forms := range w.sources {
			for _, f := range strings.Split(forms, "|") {
				idx.forms[f] = name
			}
		}
	}
	for _, a := range []string{"the", "a", "an"} {
		idx.articles[a] = true
	}
	return idx
})

// GenericSourceWord reports whether w (lower case) names no one in a
// source in one of the languages with figure words: "Behörden",
// "fuentes", "власти".
func GenericSourceWord(w string) bool { return sourceIndex().generic[w] }

// SourceKind returns the English name of the kind of source an
// attribution names when it is one of the kinds every language has a word
// for ("Polizei", "la policía", "полиция" → "police"; "Gesundheitsministerium",
// "el Ministerio de Salud" → "health ministry"), so that one source
// reported in several languages is one origin.
func SourceKind(by string) (string, bool) {
	idx := sourceIndex()
	f := strings.Fields(strings.ToLower(strings.TrimSpace(by)))
	for len(f) > 0 && idx.articles[f[0]] {
		f = f[1:]
	}
	name, ok := idx.forms[strings.Join(f, " ")]
	return name, ok
}

// topicBefore returns the last word of before marked by a topic particle,
// without it ("경찰은" → "경찰"), or "".
func (w *cjkWords) topicBefore(before string) string {
	if w.topic == "" {
		return ""
	}
	f := strings.Fields(before)
	for i := len(f) - 1; i >= 0; i-- {
		for _, p := range strings.Split(w.topic, "|") {
			if rest, ok := strings.CutSuffix(f[i], p); ok && rest != "" {
				return rest
			}
		}
	}
	return ""
}

// conjIn reports whether one of ws is a conjunction of the lexicon.
func (lx *lexicon) conjIn(ws []string) bool {
	for _, w := range ws {
		if lx.conj[w] {
			return true
		}
	}
	return false
}

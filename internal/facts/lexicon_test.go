package facts

import (
	"fmt"
	"strings"
	"testing"
)

// TestFiguresInLanguages: the figure rules read German, French, Spanish,
// Italian, Portuguese, Russian, Polish, Turkish, Malay, Indonesian,
// Chinese, Japanese and Korean news: the kind, the
// value in the language's number format, the hedge, what is counted and
// the source, before or after its reporting verb.
func TestFiguresInLanguages(t *testing.T) {
	for _, tc := range []struct {
		lang, text string
		want       string // kind:value:qualifier:subject key:source of each figure
	}{
		{"de", "Bei dem Anschlag wurden mindestens 12 Menschen getötet und 30 verletzt, teilte die Polizei mit.",
			"killed:12:at least:people:Polizei injured:30::people:Polizei"},
		{"de", "Laut Gesundheitsministerium starben 1.500 Menschen, rund 2,5 Millionen sind infiziert.",
			"killed:1500::people:Gesundheitsministerium infected:2.5e+06:around:people:Gesundheitsministerium"},
		{"de", "Am 14. März kamen 7 Soldaten ums Leben, sagte ein Sprecher der Armee.", "killed:7::soldaten:Sprecher der Armee"},
		{"de", "Nach Angaben der Behörden wurden 45 Menschen festgenommen.", "arrested:45::people:Behörden"},
		{"de", "Nach Angaben der Behörden sind mindestens 1.200 Menschen ums Leben gekommen.", "killed:1200:at least:people:Behörden"},
		{"de", "Der Polizei zufolge gab es 3 Tote.", "killed:3:::Polizei"},
		{"de", "Ein 59-jähriger Mann wurde getötet.", ""},
		{"de", "Beim Absturz einer Boeing 737 MAX kamen 157 Menschen ums Leben.", "killed:157::people:"},
		{"fr", "Selon le ministère de l'Intérieur, au moins 12 000 manifestants ont défilé et 25 personnes ont été interpellées.",
			"protesting:12000:at least:protesters:ministère de l'Intérieur arrested:25::people:ministère de l'Intérieur"},
		{"fr", "L'attaque a fait 14 morts et plus de 30 blessés, a déclaré le porte-parole.",
			"killed:14:::porte-parole injured:30:more than::porte-parole"},
		{"fr", "Un homme âgé de 45 ans a été tué.", ""},
		{"es", "Al menos 23 personas murieron y 40 resultaron heridos, informó la policía.",
			"killed:23:at least:people:policía injured:40::people:policía"},
		{"es", "Según el Ministerio de Salud, 1.200 personas han sido contagiadas.", "infected:1200::people:Ministerio de Salud"},
		{"es", "La policía detuvo a 15 manifestantes el lunes.", "arrested:15::protesters:"},
		{"es", "Hasta el 31 de diciembre hubo 99 muertes.", "killed:99:::"},
		{"es", "Honduras registra 12.759 enfermos y 363 muertos.", "killed:363:::"},
		{"es", "En 2018 fueron asesinadas 2 mil 153 personas.", "killed:2153::people:"},
		{"es", "Entre los heridos está Douglas Rojas (24).", ""},
		{"es", "Madrid tiene más casos positivos (5.637) y 390 fallecidos.", "killed:390:::"},
		{"es", "Hasta el jueves hubo dos mil 214 personas recuperadas.", "recovered:2214::people:"},
		{"es", "En una semana pasaron de ser 367 los infectados a mil 94.", "infected:367::: infected:1094:::"},
		{"es", "1 muerto, otros heridos en un tiroteo en Detroit.", "killed:1:::"},
		{"es", "Madrid habilitará más de 40 hoteles para los contagiados.", ""},
		{"it", "Secondo la Protezione civile, i morti sono 3.405 e i contagiati oltre 41 mila.",
			"killed:3405:::Protezione civile infected:41000:more than::Protezione civile"},
		{"it", "Almeno 20 persone sono state arrestate, ha detto la polizia.", "arrested:20:at least:people:polizia"},
		{"pt", "Pelo menos 30 pessoas morreram e 12 ficaram feridas, segundo os bombeiros.",
			"killed:30:at least:people:bombeiros injured:12::people:bombeiros"},
		{"ru", "По данным МЧС, погибли 12 человек, ещё 45 пострадали.", "killed:12::people:МЧС injured:45::people:МЧС"},
		{"ru", "Полиция задержала более 300 протестующих, сообщил представитель МВД.", "arrested:300:more than:protesters:представитель МВД"},
		{"ru", "Новый Южный Уэльс * 15 погибших * Горит более 100 лесных пожаров", "killed:15:::"},
		{"pl", "Według policji zginęło 5 osób, a 12 zostało rannych.", "killed:5::people:policji injured:12::people:policji"},
		{"pl", "Strażacy wyjeżdżali 2092 razy, w tym do 686 zagrożeń; ranne zostały 2 osoby.", "injured:2::people:"},
		{"tr", "Depremde en az 12 kişi hayatını kaybetti, 150 kişi yaralandı.", "killed:12:at least:people: injured:150::people:"},
		{"tr", "Valiliğe göre 8 kişi gözaltına alındı.", "arrested:8::people:Valiliğe"},
		{"tr", "Son 24 saatte 435 kişi hayatını kaybetti.", "killed:435::people:"},
		{"tr", "13 yaşındaki kız öldü.", ""},
		{"zh", "洪水造成1200多人死亡，包括400名儿童。", "killed:1200:more than:people:"},
		{"zh", "据新华社报道，地震已造成至少12人遇难，30人受伤。", "killed:12:at least:people:新华社 injured:30::people:新华社"},
		{"zh", "俄羅斯全國38座城市有超過1311人遭拘留。", "arrested:1311:more than:people:"},
		{"zh", "卫生部表示，全国新增确诊病例3248例，其中584人死亡。", "infected:3248::例:卫生部 killed:584::people:卫生部"},
		{"zh", "地震造成1.2万人受伤。", "injured:12000::people:"},
		{"zh", "3月12日，12天后，97 岁的老人和135亿美元。", ""},
		{"zh", "乌克兰今天宣布与俄罗斯换回215名战俘。", "captured:215::people:乌克兰"},
		{"ja", "警察によると、地震で少なくとも12人が死亡し、30人がけがをした。", "killed:12:at least:people:警察 injured:30::people:警察"},
		{"ja", "台風の影響で100人以上が避難した。", "displaced:100:more than:people:"},
		{"ja", "3月12日、12日間、97歳の男性。", ""},
		{"ko", "경찰에 따르면 이번 사고로 12명이 숨지고 30명이 다쳤다.", "killed:12::people:경찰 injured:30::people:경찰"},
		{"ko", "최소 5명이 사망하고 100명 이상이 대피했다고 소방당국은 밝혔다.", "killed:5:at least:people:소방당국 displaced:100:more than:people:소방당국"},
		{"ko", "3월 12일 오후 2시, 97세 남성.", ""},
		{"nl", "Volgens de politie zijn minstens 12 mensen om het leven gekomen en raakten 30 mensen gewond.", "killed:12:at least:people:politie injured:30::people:politie"},
		{"nl", "Bij de aanslag vielen 1.200 gewonden, meldde de brandweer.", "injured:1200:::brandweer"},
		{"uk", "За даними ДСНС, загинули щонайменше 12 людей, ще 30 поранені.", "killed:12:at least:people:ДСНС injured:30::people:ДСНС"},
		{"uk", "Поліція затримала понад 300 протестувальників, повідомив представник МВС.", "arrested:300:more than:protesters:представник МВС"},
		{"ms", "Katanya, sekurang-kurangnya 114 orang cedera dalam kemalangan itu.", "injured:114:at least:people:"},
		{"ms", "Gempa bumi pada 1985 telah mengorbankan 5,000 orang, menurut agensi itu.", "killed:5000::people:agensi"},
		{"id", "Sedikitnya 12 orang tewas dan 1.200 warga mengungsi, kata polisi.", "killed:12:at least:people:polisi displaced:1200::people:polisi"},
		{"id", "Sebanyak 41 orang telah diperiksa yang terdiri atas 31 orang saksi.", ""},
		{"ms", "Gempa bumi itu telah mengorbankan 378 orang dengan kekuatan 7.1 magnitud.", "killed:378::people:"},
		{"ms", "Skim itu akan dihantar untuk mengurangkan 20 peratus sisa.", ""},
		// from a review of the rules: classes of error they must not make
		{"de", "Bei der Razzia wurden 3 Personen festgenommen und 2 Mio. Euro beschlagnahmt.", "arrested:3::people:"},
		{"ru", "Ущерб составил 300 тыс. рублей, задержаны 12 человек.", "arrested:12::people:"},
		{"zh", "遇难者家属每人获赔120万人民币。", ""},
		{"es", "Los bomberos salvaron 12 vidas.", ""},
		{"ru", "Погибли не менее 12 человек, ранены около 40.", "killed:12:at least:people: injured:40:about:people:"},
		{"pl", "Dwie osoby zginęły, a trzy zostały ranne.", "killed:2::people: injured:3::people:"},
		{"de", "Beim Absturz von Flug 9525 gab es 150 Tote.", "killed:150:::"},
		{"es", "En el kilómetro 45 murieron 3 personas.", "killed:3::people:"},
		{"ru", "В 21.00 погибли 3 человека.", "killed:3::people:"},
		{"fr", "A 14 h 30, 3 personnes ont été blessées.", "injured:3::people:"},
		{"id", "Pada Senin (17/3) tiga orang tewas.", "killed:3::people:"},
		{"es", "Treinta y dos personas murieron.", "killed:32::people:"},
		{"ru", "Число погибших возросло до 12.", "killed:12:::"},
		{"de", "Die Polizei berichtete über 3 Verletzte.", "injured:3:::Polizei"},
		{"zh", "1万2000人受伤。", "injured:12000::people:"},
		{"zh", "他获得第3位。", ""},
		{"ko", "경찰은 3명을 체포했다고 밝혔다.", "arrested:3::people:경찰"},
		{"de", "Die Rettungskräfte sprechen von 5 Toten.", "killed:5:::Rettungskräfte"},
		{"it", "Due persone sono morte e tre sono rimaste ferite.", "killed:2::people: injured:3::people:"},
		{"ru", "Полиция задержала 2 человека и изъяла 300 квадратных метров ткани и 2 кг наркотиков.", "arrested:2::people:"},
		// English and Arabic read as before in every language.
		{"en", "At least 40 Palestinians, including 12 children, were killed.", "killed:40:at least:palestinians: killed:12::children:"},
		{"en", "12 soldiers and 3 civilians were killed.", "killed:12::soldiers: killed:3::civilians:"},
		{"en", "750 soldiers from the 82nd Airborne Division stationed at Fort Bragg were sent to Iraq.", "deployed:750::soldiers:"},
		{"en", "Police arrested (12) suspects.", "arrested:12:::"},
		{"en", "March's 12 deaths were the most.", "killed:12:::"},
		{"de", "Two soldiers were killed, officials said.", "killed:2::soldiers:officials"},
	} {
		var got []string
		for _, f := range FiguresLang(tc.text, tc.lang) {
			got = append(got, fmt.Sprintf("%s:%v:%s:%s:%s", f.Kind, f.Value, f.Qualifier, SubjectKey(f.Subject), f.AttributedTo))
		}
		if g := strings.Join(got, " "); g != tc.want {
			t.Errorf("%s %q:\n got %q\nwant %q", tc.lang, tc.text, g, tc.want)
		}
	}
}

// TestNumberFormats: digits are read in the language's format.
func TestNumberFormats(t *testing.T) {
	for _, tc := range []struct {
		lang, text string
		want       []float64
	}{
		{"de", "1.500 Menschen", []float64{1500}},
		{"de", "1.500.000 Euro", []float64{1.5e6}},
		{"de", "2,5 Millionen", []float64{2.5e6}},
		{"de", "1,500 Menschen", []float64{1500}},
		{"de", "1.234,5 Tonnen", []float64{1234.5}},
		{"fr", "12 000 manifestants", []float64{12000}},
		{"fr", "1 500 000 personnes", []float64{1.5e6}},
		{"ru", "60 000 гектаров", []float64{60000}},
		{"es", "30 mil 798 víctimas", []float64{30798}},
		{"it", "41 mila contagiati", []float64{41000}},
		{"fr", "une hausse de 2,5 pour cent", []float64{2.5}},
		{"en", "1.5 million people", []float64{1.5e6}},
		{"en", "1,500 people and 2.5 tonnes", []float64{1500, 2.5}},
		{"en", "12 000", []float64{12, 0}},
		{"ar", "حوالي 60.000 حالة", []float64{60000}},
		{"ar", "3.5 مليون", []float64{3.5e6}},
	} {
		var got []float64
		for _, q := range QuantitiesLang(tc.text, tc.lang) {
			got = append(got, q.Value)
		}
		if fmt.Sprint(got) != fmt.Sprint(tc.want) {
			t.Errorf("%s %q: got %v, want %v", tc.lang, tc.text, got, tc.want)
		}
	}
}

// TestSubjectKey: a noun for people keys one ledger line in every language.
func TestSubjectKey(t *testing.T) {
	for in, want := range map[string]string{
		"Menschen": "people", "personas": "people", "человек": "people", "أشخاص": "people", "people": "people", "명": "people",
		"North Korean soldiers": "soldiers", "": "",
	} {
		if got := SubjectKey(in); got != want {
			t.Errorf("SubjectKey(%q) = %q, want %q", in, got, want)
		}
	}
	for _, s := range []string{"weitere", "otros", "others", "آخرين", ""} {
		if !Anaphoric(s) {
			t.Errorf("Anaphoric(%q) = false", s)
		}
	}
}

// TestSourceKind: a kind of source every language has a word for is one
// source in all of them.
func TestSourceKind(t *testing.T) {
	for in, want := range map[string]string{
		"Polizei": "police", "la policía": "police", "полиция": "police", "the police": "police", "police": "police",
		"el Ministerio de Salud": "health ministry", "Gesundheitsministerium": "health ministry", "МЧС": "rescuers",
		"警方": "police", "卫生部": "health ministry", "警察": "police", "소방당국": "fire brigade", "Reuters": "",
	} {
		got, _ := SourceKind(in)
		if got != want {
			t.Errorf("SourceKind(%q) = %q, want %q", in, got, want)
		}
	}
}

// TestDayBeforeMonth: the period of a German or Polish ordinal day ends
// no sentence ("am 14. März"); one after a year does. (A sentence ending
// on a small number before one starting with a month's name, "rose to
// 12. March was", is joined too: far rarer than the ordinal day.)
func TestDayBeforeMonth(t *testing.T) {
	for text, want := range map[string]int{
		"Die Konferenz soll am 14. März stattfinden. Sie wird lange dauern.": 2,
		"Spotkanie odbędzie się 1. marca w Warszawie.":                       1,
		"Es starben 2019. März war ruhig.":                                   2,
	} {
		if got := len(Sentences(text)); got != want {
			t.Errorf("%q: %d sentences, want %d", text, got, want)
		}
	}
}

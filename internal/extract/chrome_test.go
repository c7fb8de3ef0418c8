package extract

import "testing"

// TestChromeSentences: the notices a scrape keeps inside a paragraph
// (cookies, consent, newsletters, share rows, follow-us lines, a blocked
// page's message) go, with the rest of the paragraph kept; a report about
// cookies or newsletters keeps its sentences.
func TestChromeSentences(t *testing.T) {
	for _, tt := range []struct{ in, want string }{
		{"The council approved the budget on Monday. We use cookies to ensure that we give you the best experience on our website. The vote was 7 to 2.",
			"The council approved the budget on Monday. The vote was 7 to 2."},
		{"Sign up to our newsletter to get other stories like this delivered straight to your inbox. Follow BBC Yorkshire on Facebook, Twitter and Instagram.", ""},
		{"Die Polizei nahm zwei Männer fest. Um die Funktion unserer Website zu verbessern, sammeln wir technische anonymisierte Informationen über Sie. Die Ermittlungen dauern an.",
			"Die Polizei nahm zwei Männer fest. Die Ermittlungen dauern an."},
		{"Concluyó 2019 con más de 28 mil personas asesinadas en todo el país según las cifras oficiales del gobierno federal Al hacer click en enviar quedaras registrado a nuestro boletín el cual podrás cancelar en cualquier momento, no olvides revisar tu carpeta de spam.",
			"Concluyó 2019 con más de 28 mil personas asesinadas en todo el país según las cifras oficiales del gobierno federal"},
		{"Przykro nam, ale z adresu IP z którego się łączysz odnotowaliśmy ogromną ilość połączeń. Jeśli chcesz połączyć się z nami zaznacz \"NIE JESTEM ROBOTEM\".", ""},
		// About cookies and newsletters, not a notice: kept.
		{"Regulators fined the company for tracking users with cookies. The bakery sold 4,000 cookies in a day.",
			"Regulators fined the company for tracking users with cookies. The bakery sold 4,000 cookies in a day."},
		{"The newsletter, founded in 1998, has 20,000 readers, its editor said.", "The newsletter, founded in 1998, has 20,000 readers, its editor said."},
		{"Полиция задержала двоих. Подписывайтесь на наш канал в Telegram. Следствие продолжается.", "Полиция задержала двоих. Следствие продолжается."},
		{"Поліція затримала двох. Ми використовуємо файли cookie для зручності. Слідство триває.", "Поліція затримала двох. Слідство триває."},
		{"Yangın söndürüldü. Bizi Twitter'da takip edin. Soruşturma sürüyor.", "Yangın söndürüldü. Soruşturma sürüyor."},
		{"Policja zatrzymała dwie osoby. Zapisz się do naszego newslettera już dziś. Śledztwo trwa.", "Policja zatrzymała dwie osoby. Śledztwo trwa."},
		{"Sitemizde çerezler kullanılmaktadır. Yangın söndürüldü.", "Yangın söndürüldü."},
		{"Регулятор оштрафовал компанию за файлы cookie без согласия пользователей.", "="},
		// reports about cookies, privacy, newsletters, social networks and
		// IP addresses (found by a review of the first patterns)
		{"Regulators fined Google 150 million euros for making it harder to refuse cookies than to accept them.", "="},
		{"Amazon was fined for placing advertising cookies on users' computers without their consent.", "="},
		{"WhatsApp users must accept the new privacy policy by May 15 or lose access.", "="},
		{"Her Substack newsletter now has more than 50,000 paying subscribers, she said.", "="},
		{"Según el último boletín epidemiológico, se registraron 1.200 nuevos casos en la región.", "="},
		{"La detención sigue a un mensaje publicado en Facebook por el alcalde.", "="},
		{"Investigators said the connections were routed through a single IP address in Ohio.", "="},
		{"In a follow-up post on Twitter, Musk said the deal was on hold.", "="},
		{"Mr. Smith, who chairs the committee, said the vote would go ahead. We use cookies to improve your experience.", "Mr. Smith, who chairs the committee, said the vote would go ahead."},
	} {
		got, _ := dropChromeSentences(tt.in)
		if tt.want == "=" {
			tt.want = tt.in // a report: kept whole
		}
		if got != tt.want {
			t.Errorf("dropChromeSentences(%q)\n got %q\nwant %q", tt.in, got, tt.want)
		}
	}
}

// TestNoticeOnlyPage: a page whose one paragraph is a blocked-access
// notice has no article; what the notice leaves ("Your IP address: 1665")
// is not one, with or without its text.
func TestNoticeOnlyPage(t *testing.T) {
	page := `We are sorry, but we recorded a huge amount of connections from the IP address you are connecting from. We suspect that someone has misused the IP address you are using. If you want to connect with us, select "I AM NOT A ROBOT". Your IP address: 1665`
	if arts := Text(page, Input{Name: "blocked.txt"}); len(arts) != 0 {
		t.Errorf("Text = %d article(s) %q, want none", len(arts), arts[0].Text)
	}
	pl := `Przykro nam, ale z adresu IP z którego się łączysz odnotowaliśmy ogromną ilość połączeń. Podejrzewamy, że ktoś nadużył adresu IP, z którego korzystasz. Jeśli chcesz połączyć się z nami zaznacz "NIE JESTEM ROBOTEM". Twój adres IP: 2267`
	for _, a := range Text(pl, Input{Name: "blocked.txt"}) {
		if a.Text == "" {
			t.Errorf("an article with no text (title %q)", a.Title)
		}
	}
}

package billbridge_test

import (
	"testing"
	"time"

	"billbridge"
)

func date(y int, m time.Month, d int) *billbridge.Date {
	return &billbridge.Date{Time: time.Date(y, m, d, 0, 0, 0, 0, time.UTC)}
}

func rate(r billbridge.VATRate) *billbridge.VATRate { return &r }

// TestSwicoS1MatchesExamples encodes manuelbl's SwicoExamples 1 to 4 and
// the backslash case of SwicoS1EncodingTest.
func TestSwicoS1MatchesExamples(t *testing.T) {
	for _, c := range []struct {
		name string
		s    billbridge.SwicoS1
		want string
	}{{
		"example 1",
		billbridge.SwicoS1{InvoiceNumber: "10201409", InvoiceDate: date(2019, 5, 12), CustomerReference: "1400.000-53", UID: "106017086",
			VATDate: date(2018, 5, 8), VATRate: rate(770), Conditions: []billbridge.PaymentCondition{{Percent: 200, Days: 10}, {Percent: 0, Days: 30}}},
		"//S1/10/10201409/11/190512/20/1400.000-53/30/106017086/31/180508/32/7.7/40/2:10;0:30",
	}, {
		"example 2: VAT period and several rates",
		billbridge.SwicoS1{InvoiceNumber: "10104", InvoiceDate: date(2018, 2, 28), UID: "395856455", VATDate: date(2018, 2, 26), VATPeriodEnd: date(2018, 2, 27),
			VATDetails: []billbridge.VATLine{{Rate: 370, Net: 40019}, {Rate: 770, Net: 55339}, {Rate: 0, Net: 1400}},
			Conditions: []billbridge.PaymentCondition{{Percent: 0, Days: 30}}},
		"//S1/10/10104/11/180228/30/395856455/31/180226180227/32/3.7:400.19;7.7:553.39;0:14/40/0:30",
	}, {
		"example 3: import taxes",
		billbridge.SwicoS1{InvoiceNumber: "4031202511", InvoiceDate: date(2018, 1, 7), CustomerReference: "61257233.4", UID: "105493567",
			VATDetails: []billbridge.VATLine{{Rate: 800, Net: 4982}}, ImportTaxes: []billbridge.VATLine{{Rate: 250, VAT: 1485}},
			Conditions: []billbridge.PaymentCondition{{Percent: 0, Days: 30}}},
		"//S1/10/4031202511/11/180107/20/61257233.4/30/105493567/32/8:49.82/33/2.5:14.85/40/0:30",
	}, {
		"example 4: escaped slash",
		billbridge.SwicoS1{InvoiceNumber: "X.66711/8824", InvoiceDate: date(2020, 7, 12), CustomerReference: "MW-2020-04", UID: "107978798",
			VATDetails: []billbridge.VATLine{{Rate: 250, Net: 11722}},
			Conditions: []billbridge.PaymentCondition{{Percent: 300, Days: 5}, {Percent: 150, Days: 20}, {Percent: 100, Days: 40}, {Percent: 0, Days: 60}}},
		"//S1/10/X.66711\\/8824/11/200712/20/MW-2020-04/30/107978798/32/2.5:117.22/40/3:5;1.5:20;1:40;0:60",
	}, {
		"escaped backslash",
		billbridge.SwicoS1{InvoiceNumber: "X.66711/8824", InvoiceDate: date(2020, 7, 12), CustomerReference: "MW-2020\\04", UID: "107978798",
			VATDetails: []billbridge.VATLine{{Rate: 250, Net: 11722}},
			Conditions: []billbridge.PaymentCondition{{Percent: 300, Days: 5}, {Percent: 150, Days: 20}, {Percent: 100, Days: 40}, {Percent: 0, Days: 60}}},
		"//S1/10/X.66711\\/8824/11/200712/20/MW-2020\\\\04/30/107978798/32/2.5:117.22/40/3:5;1.5:20;1:40;0:60",
	}, {
		"invoice number only", billbridge.SwicoS1{InvoiceNumber: "X.66711-8831"}, "//S1/10/X.66711-8831",
	}, {
		"nothing", billbridge.SwicoS1{}, "",
	}} {
		if got := c.s.String(); got != c.want {
			t.Errorf("%s:\n got %s\nwant %s", c.name, got, c.want)
		}
	}
}

func TestUIDDigits(t *testing.T) {
	for in, want := range map[string]string{
		"CHE-106.017.086": "106017086", "CHE-106.017.086 MWST": "106017086", "che106017086 tva": "106017086",
		"CHE-106.017.087": "", "CHE-106.017": "", "106017086": "", "CHE-10A.017.086": "",
	} {
		got, ok := billbridge.UIDDigits(in)
		if got != want || ok != (want != "") {
			t.Errorf("UIDDigits(%q) = %q, %v; want %q", in, got, ok, want)
		}
	}
}

package xhtml_test

import (
	"fmt"

	"chat/xhtml"
)

// A front end renders a message from its body and XHTML-IM, adapts the
// sender's colours to its theme and lists the links for "/open N".
func Example() {
	body := "Meeting at *3pm*, see https://example.org/agenda"
	inner := `<p>Meeting at <span style="color: #ffffff; font-weight: bold">3pm</span>, ` +
		`see <a href="https://example.org/agenda">the agenda</a></p>`
	spans, usedXHTML := xhtml.Choose(body, inner)
	fmt.Println("XHTML:", usedXHTML)
	for _, s := range spans {
		st := xhtml.AdaptStyle(s.Style, "", "#ffffff", xhtml.Colors256) // light theme
		fmt.Printf("%q bold=%v fg=%q link=%q\n", s.Text, st.Bold, st.FG, st.Link)
	}
	for i, l := range xhtml.Links(spans) {
		fmt.Printf("[%d] %s\n", i+1, l)
	}
	// Output:
	// XHTML: true
	// "Meeting at " bold=false fg="" link=""
	// "3pm" bold=true fg="#767676" link=""
	// ", see " bold=false fg="" link=""
	// "the agenda" bold=false fg="" link="https://example.org/agenda"
	// " <https://example.org/agenda>" bold=false fg="" link="https://example.org/agenda"
	// [1] https://example.org/agenda
}

func ExampleFromStyling() {
	inner, err := xhtml.FromStyling("> *Important:* read _this_\nok")
	fmt.Println(inner, err)
	fmt.Println(xhtml.Validate(inner))
	// Output:
	// <blockquote><p><strong>Important:</strong> read <em>this</em></p></blockquote><p>ok</p> <nil>
	// <nil>
}

func ExampleValidate() {
	fmt.Println(xhtml.Validate(`<p onclick="steal()">hi</p>`))
	fmt.Println(xhtml.Validate(`<p style="position: fixed">hi</p>`))
	// Output:
	// attribute onclick on <p>: not allowed
	// style of <p>: style property "position": not allowed
}

package servertest

import (
	"io"
	"net"
	"strings"
	"testing"
)

func TestOpenStreamReadsFeatures(t *testing.T) {
	client, server := net.Pipe()
	defer client.Close()
	go func() {
		defer server.Close()
		buf := make([]byte, 512)
		if _, err := server.Read(buf); err != nil {
			return
		}
		io.WriteString(server, "<?xml version='1.0'?><stream:stream xmlns='jabber:client' "+
			"xmlns:stream='http://etherx.jabber.org/streams' version='1.0'>"+
			"<stream:features><starttls xmlns='urn:ietf:params:xml:ns:xmpp-tls'><required/></starttls>"+
			"<mechanisms xmlns='urn:ietf:params:xml:ns:xmpp-sasl'><mechanism>PLAIN</mechanism></mechanisms>"+
			"</stream:features>")
	}()
	f, err := OpenStream(client, "localhost")
	if err != nil {
		t.Fatal(err)
	}
	if f.StartTLS == nil || f.StartTLS.Required == nil {
		t.Errorf("starttls not required: %s", f.Inner)
	}
	if strings.Join(f.Mechanisms, ",") != "PLAIN" {
		t.Errorf("mechanisms = %v", f.Mechanisms)
	}
}

func TestOpenStreamRejectsWrongElement(t *testing.T) {
	client, server := net.Pipe()
	defer client.Close()
	go func() {
		defer server.Close()
		buf := make([]byte, 512)
		if _, err := server.Read(buf); err != nil {
			return
		}
		io.WriteString(server, "<html>")
	}()
	if _, err := OpenStream(client, "localhost"); err == nil {
		t.Fatal("OpenStream accepted <html>")
	}
}

package store

import (
	"context"
	"errors"
	"reflect"
	"testing"
)

func TestBlocklistAndDataSurviveReopen(t *testing.T) {
	ctx := context.Background()
	s, path := openTest(t)
	if err := s.SetUser(ctx, "alice@localhost", "pw"); err != nil {
		t.Fatal(err)
	}
	if _, err := s.Block(ctx, "alice@localhost", []string{"Eve@Localhost", "spam.example", "eve@localhost"}); err != nil {
		t.Fatal(err)
	}
	if _, err := s.Unblock(ctx, "alice@localhost", []string{"spam.example"}); err != nil {
		t.Fatal(err)
	}
	if err := s.PutData(ctx, "alice@localhost", KindPEP, "n\nb", []byte("<b/>")); err != nil {
		t.Fatal(err)
	}
	if err := s.PutData(ctx, "alice@localhost", KindPEP, "n\na", []byte("<a/>")); err != nil {
		t.Fatal(err)
	}
	if err := s.PutData(ctx, "alice@localhost", KindPEP, "m\na", []byte("<m/>")); err != nil {
		t.Fatal(err)
	}
	if err := s.PutData(ctx, "alice@localhost", KindVCard, "", make([]byte, MaxData+1)); err == nil {
		t.Error("PutData kept a value over MaxData")
	}
	s.Close()
	s = reopen(t, path)
	got, err := s.Blocklist(ctx, "alice@localhost")
	if err != nil || !reflect.DeepEqual(got, []string{"eve@localhost"}) {
		t.Fatalf("Blocklist = %q, %v", got, err)
	}
	keys, vals, err := s.DataWithPrefix(ctx, "alice@localhost", KindPEP, "n\n")
	if err != nil || !reflect.DeepEqual(keys, []string{"n\na", "n\nb"}) || string(vals[0]) != "<a/>" {
		t.Fatalf("DataWithPrefix = %q %q, %v", keys, vals, err)
	}
	if _, ok, _ := s.Data(ctx, "alice@localhost", KindVCard, ""); ok {
		t.Error("a refused vCard was kept")
	}
	if err := s.DeleteData(ctx, "alice@localhost", KindPEP, "m\na"); err != nil {
		t.Fatal(err)
	}
	if _, ok, _ := s.Data(ctx, "alice@localhost", KindPEP, "m\na"); ok {
		t.Error("DeleteData left the value")
	}
	if _, err := s.Unblock(ctx, "alice@localhost", nil); err != nil {
		t.Fatal(err)
	}
	if got, _ := s.Blocklist(ctx, "alice@localhost"); len(got) != 0 {
		t.Errorf("Unblock all left %q", got)
	}
}

func TestCreateUserNeverResets(t *testing.T) {
	ctx := context.Background()
	s, _ := openTest(t)
	if err := s.CreateUser(ctx, "new@localhost", "one"); err != nil {
		t.Fatal(err)
	}
	if err := s.CreateUser(ctx, "NEW@localhost", "two"); !errors.Is(err, ErrUserExists) {
		t.Fatalf("second CreateUser: %v", err)
	}
	if ok, _ := s.CheckPassword(ctx, "new@localhost", "one"); !ok {
		t.Fatal("the first password no longer works")
	}
}

package store

import (
	"context"
	"reflect"
	"testing"
)

func TestRoomsSurviveReopen(t *testing.T) {
	ctx := context.Background()
	s, path := openTest(t)
	lobby := Room{JID: "Lobby@conference.localhost", Name: "Lobby <b>", Password: "pw", MembersOnly: true,
		Moderated: true, Public: false, Subject: "hi", SubjectNick: "al'ice",
		Affiliations: map[string]string{"alice@localhost": "owner", "eve@localhost": "outcast"}}
	if err := s.PutRoom(ctx, lobby); err != nil {
		t.Fatal(err)
	}
	if err := s.PutRoom(ctx, Room{JID: "gone@conference.localhost"}); err != nil {
		t.Fatal(err)
	}
	lobby.Affiliations = map[string]string{"alice@localhost": "owner", "bob@localhost": "member"}
	lobby.Name = "Lobby"
	if err := s.PutRoom(ctx, lobby); err != nil {
		t.Fatal(err)
	}
	if err := s.DeleteRoom(ctx, "gone@conference.localhost"); err != nil {
		t.Fatal(err)
	}
	if err := s.DeleteRoom(ctx, "never@conference.localhost"); err != nil {
		t.Errorf("deleting a missing room: %v", err)
	}
	s.Close()
	s = reopen(t, path)
	got, err := s.Rooms(ctx)
	if err != nil {
		t.Fatal(err)
	}
	lobby.JID = "lobby@conference.localhost"
	if want := []Room{lobby}; !reflect.DeepEqual(got, want) {
		t.Fatalf("Rooms = %+v\nwant %+v", got, want)
	}
}

func TestPutRoomRefusesBadAffiliation(t *testing.T) {
	s, _ := openTest(t)
	r := Room{JID: "r@conference.localhost", Affiliations: map[string]string{"a@localhost": "king"}}
	if err := s.PutRoom(context.Background(), r); err == nil {
		t.Fatal("affiliation king stored")
	}
	if got, _ := s.Rooms(context.Background()); len(got) != 0 {
		t.Errorf("a failed PutRoom left %+v", got)
	}
}

package main

import (
	"context"
	"strings"
	"testing"

	"dossier/internal/pipeline"
	"dossier/internal/store/sqlite"
	"dossier/internal/store/storetest"
)

// TestExportMergedStory checks that exporting the archive of a story
// merged into another says which story to export instead.
func TestExportMergedStory(t *testing.T) {
	ctx := context.Background()
	data := t.TempDir()
	st, err := sqlite.Open(ctx, pipeline.DBPath(data))
	if err != nil {
		t.Fatal(err)
	}
	storetest.SaveMergeChain(t, st)
	if err := st.Close(); err != nil {
		t.Fatal(err)
	}
	svc, err := pipeline.Open(ctx, pipeline.Config{DataDir: data}, "test")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := svc.RefreshViews(ctx); err != nil {
		t.Fatal(err)
	}
	svc.Close()
	_, errs, code := dossier(t, "export", "-data", data, "-format", "warc", "-story", "3", "-o", t.TempDir()+"/x.warc")
	if code != 1 || !strings.Contains(errs, "merged into story 7") {
		t.Errorf("export of merged story 3: exit %d, %q", code, errs)
	}
	if _, errs, code := dossier(t, "export", "-data", data, "-format", "warc", "-story", "404", "-o", t.TempDir()+"/y.warc"); code != 1 || !strings.Contains(errs, "no story 404") {
		t.Errorf("export of no story: exit %d, %q", code, errs)
	}
}

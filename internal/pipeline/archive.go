package pipeline

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"sync"

	"dossier/internal/archive"
	"dossier/internal/fetch"
	"dossier/internal/store"
)

// evidence is the data directory's archive of fetched responses, opened
// on first use by the writer and shared by everything that fetches: the
// ingests of URLs and feeds (add, POST /v1/ingest) and the watcher.
type evidence struct {
	once sync.Once
	w    *archive.Writer
	err  error
}

// Archive returns the writer of the data directory's WARC archive
// (ArchiveDir), opened on first use; the service closes it.
func (s *Service) Archive() (*archive.Writer, error) {
	if s.readOnly || s.worker {
		return nil, ErrReadOnly
	}
	s.arch.once.Do(func() {
		s.arch.w, s.arch.err = archive.Open(archive.Config{Dir: s.ArchiveDir(), MaxFileSize: s.cfg.ArchiveMaxFile})
		if s.arch.err != nil {
			s.arch.err = fmt.Errorf("pipeline: %w", s.arch.err)
		}
	})
	return s.arch.w, s.arch.err
}

// Capture keeps a fetched response (an ingest's or the watcher's) in the
// archive and records where, under the page's key ("" for a document that
// is no article's page: a feed, a robots.txt).
func (s *Service) Capture(ctx context.Context, resp *fetch.Response, key string) error {
	if resp.NotModified {
		return nil
	}
	w, err := s.Archive()
	if err != nil {
		return err
	}
	loc, err := w.Write(archive.Exchange{
		URL: resp.URL, RequestHeader: resp.RequestHeader, Proto: resp.Proto, Status: resp.StatusText,
		ResponseHeader: resp.Header, Body: resp.Body, Captured: resp.Fetched,
	})
	if err != nil {
		return err
	}
	sum := sha256.Sum256(resp.Body)
	return s.st.SaveCapture(ctx, store.Capture{URL: resp.URL, PageKey: key, BodyHash: hex.EncodeToString(sum[:]),
		File: loc.File, Offset: loc.Offset, Length: loc.Length, Captured: resp.Fetched, Status: resp.Status})
}

// closeArchive closes the archive's current file, if one was opened.
func (s *Service) closeArchive() error {
	if s.arch.w == nil {
		return nil
	}
	return s.arch.w.Close()
}

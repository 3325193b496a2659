package main

import (
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	yaml "go.yaml.in/yaml/v3"
)

// TestGoreleaserConfig checks .goreleaser.yaml builds what scripts/install.sh
// (used by action.yml and the Helm plugin) downloads: the six platforms,
// archives named pxvalues_<os>_<arch>.tar.gz (zip on Windows) and a SHA-256
// checksums.txt. `goreleaser check` (in .ci/run) validates the file itself.
func TestGoreleaserConfig(t *testing.T) {
	b, err := os.ReadFile(filepath.Join(repoRoot, ".goreleaser.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	var cfg struct {
		Version int
		Builds  []struct {
			Main   string
			Binary string
			Env    []string
			Goos   []string
			Goarch []string
		}
		Archives []struct {
			Formats         []string
			NameTemplate    string `yaml:"name_template"`
			FormatOverrides []struct {
				Goos    string
				Formats []string
			} `yaml:"format_overrides"`
		}
		Checksum struct {
			NameTemplate string `yaml:"name_template"`
			Algorithm    string
		}
	}
	if err := yaml.Unmarshal(b, &cfg); err != nil {
		t.Fatal(err)
	}
	if cfg.Version != 2 || len(cfg.Builds) != 1 || len(cfg.Archives) != 1 {
		t.Fatalf("want version 2, one build, one archive: %+v", cfg)
	}
	bd := cfg.Builds[0]
	if bd.Main != "./cmd/pxvalues" || bd.Binary != "pxvalues" || !slices.Contains(bd.Env, "CGO_ENABLED=0") {
		t.Errorf("build: %+v", bd)
	}
	for _, want := range []string{"linux", "darwin", "windows"} {
		if !slices.Contains(bd.Goos, want) {
			t.Errorf("no %s build", want)
		}
	}
	for _, want := range []string{"amd64", "arm64"} {
		if !slices.Contains(bd.Goarch, want) {
			t.Errorf("no %s build", want)
		}
	}
	ar := cfg.Archives[0]
	if ar.NameTemplate != "{{ .ProjectName }}_{{ .Os }}_{{ .Arch }}" || !slices.Equal(ar.Formats, []string{"tar.gz"}) ||
		len(ar.FormatOverrides) != 1 || ar.FormatOverrides[0].Goos != "windows" || !slices.Equal(ar.FormatOverrides[0].Formats, []string{"zip"}) {
		t.Errorf("archives are not what scripts/install.sh downloads: %+v", ar)
	}
	if cfg.Checksum.NameTemplate != "checksums.txt" || cfg.Checksum.Algorithm != "sha256" {
		t.Errorf("checksum: %+v", cfg.Checksum)
	}
	script, err := os.ReadFile(filepath.Join(repoRoot, "scripts", "install.sh"))
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{`asset="pxvalues_${os}_${arch}.${ext}"`, `ext=zip`, `"$url/checksums.txt"`} {
		if !strings.Contains(string(script), want) {
			t.Errorf("scripts/install.sh lacks %s", want)
		}
	}
}

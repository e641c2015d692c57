package labs_test

import (
	"os"
	"testing"

	"github.com/rogpeppe/go-internal/testscript"

	"github.com/awsxlab/awsx/internal/cli"
)

// TestMain makes the test binary the labs' commands: `aws` and `awsx` are the awsx command,
// run as a process of its own per call so that each script's environment is its own.
func TestMain(m *testing.M) {
	main := func() int { return cli.Main(os.Args[1:], os.Stdin, os.Stdout, os.Stderr) }
	testscript.Main(m, map[string]func(){
		"aws":  func() { os.Exit(main()) },
		"awsx": func() { os.Exit(main()) },
	})
}

// TestLabs runs every lab against a fresh simulator: each script has its own HOME, so its
// ~/.aws and its simulator state (~/.awsx) are its own. UPDATE_GOLDEN=1 rewrites the
// scripts' want files from what the commands printed.
func TestLabs(t *testing.T) {
	testscript.Run(t, testscript.Params{
		Dir:           ".",
		UpdateScripts: os.Getenv("UPDATE_GOLDEN") == "1",
		Setup: func(env *testscript.Env) error {
			env.Setenv("HOME", env.WorkDir)
			env.Setenv("AWSX_STATE_DIR", env.WorkDir+"/.awsx")
			env.Setenv("AWSX_BACKEND", "sim")
			for _, v := range []string{"AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN", "AWS_PROFILE",
				"AWS_REGION", "AWS_DEFAULT_REGION", "AWS_ENDPOINT_URL", "AWS_CONFIG_FILE", "AWS_SHARED_CREDENTIALS_FILE", "AWSX_CONFIG"} {
				env.Setenv(v, "")
			}
			return nil
		},
	})
}

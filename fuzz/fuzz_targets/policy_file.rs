//! The organisation policy loader on arbitrary text, as a policy file given with
//! `--policy` or listed in `[tool.sciguard] policies`; a policy that loads is then used
//! in a check of a small project, as the CLI does.
#![no_main]
use libfuzzer_sys::fuzz_target;
use sciguard::project::{InOrder, Options, ProjectSettings};
use sciguard::rules::Registry;
use sciguard::SourceFile;

/// Code that touches the calls, arguments and strings policies usually match.
const PROGRAM: &str = "import requests\nimport pandas as pd\nimport subprocess, pickle, yaml\n\
requests.get(URL)\nrequests.get(URL, timeout=5, verify=False)\n\
pd.read_csv('http://data.example.org/prices.csv')\npd.read_csv(f'http://{host}/x.csv')\n\
subprocess.run(cmd, shell=True)\npickle.loads(blob)\nyaml.load(text, Loader=yaml.Loader)\n\
open('/tmp/out.csv', 'w').write(data)\n";

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    let (registry, errors) = Registry::with_organisation([("ORG900-fuzz.md", &*text)]);
    for error in &errors {
        let _ = error.to_string();
    }
    if !registry.has_organisation_rules() {
        return;
    }
    let files = vec![
        SourceFile::new("pipeline.py", PROGRAM.to_string()),
        SourceFile::new("requirements.txt", "requests==2.19.0\npandas\n".to_string()),
    ];
    let options = Options {
        registry: Some(&registry),
        ..Options::default()
    };
    let project = ProjectSettings::discover(
        files.iter().map(|f| (f.path.as_str(), f.text.as_str())),
        &options,
    );
    let _ = project.check(files, &options, &InOrder);
});

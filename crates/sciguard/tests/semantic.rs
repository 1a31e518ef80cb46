//! Name resolution as users write it: aliases, shadowing, instances, late binding.

use sciguard::rules::{Registry, RuleSet};

fn codes_by_line(source: &str) -> Vec<(usize, String)> {
    let registry = Registry::builtin();
    sciguard::check_python(source, registry, &RuleSet::all(registry))
        .into_iter()
        .map(|f| (f.span.start.row, f.code))
        .collect()
}

fn fires(source: &str, code: &str, line: usize) {
    let found = codes_by_line(source);
    assert!(
        found.contains(&(line, code.to_string())),
        "expected {code} on line {line}, got {found:?}\n{source}"
    );
}

fn silent(source: &str, code: &str) {
    let found = codes_by_line(source);
    assert!(
        !found.iter().any(|(_, c)| c == code),
        "expected no {code}, got {found:?}\n{source}"
    );
}

#[test]
fn aliases_resolve() {
    fires(
        "import numpy as np\nnp.load(f, allow_pickle=True)\n",
        "SCI202",
        2,
    );
    fires(
        "from numpy import load as L\nL(f, allow_pickle=True)\n",
        "SCI202",
        2,
    );
    fires(
        "import torch.serialization as ts\nts.load(p, weights_only=False)\n",
        "SCI205",
        2,
    );
    fires("import os.path\nos.system(cmd)\n", "SCI217", 2);
    fires(
        "from requests import Session\ns = Session()\ns.get(u)\n",
        "SCI401",
        3,
    );
    fires(
        "import numpy\nload = numpy.load\nload(f, allow_pickle=True)\n",
        "SCI202",
        3,
    );
}

#[test]
fn instances_resolve() {
    fires(
        "import requests\ns = requests.Session()\ns.post(u, json=d)\n",
        "SCI401",
        3,
    );
    fires(
        "import requests\nwith requests.Session() as s:\n    s.get(u)\n",
        "SCI401",
        3,
    );
    fires("import requests\nrequests.Session().get(u)\n", "SCI401", 2);
    fires(
        "import pandas as pd\ndf = pd.read_csv(p)\ndf.query(input())\n",
        "SCI212",
        3,
    );
    fires(
        "import ssl\nctx = ssl.create_default_context()\nctx.check_hostname = False\n",
        "SCI218",
        3,
    );
    fires(
        "import requests\ns = requests.Session()\ns.verify = False\n",
        "SCI218",
        3,
    );
    silent(
        "import requests\ns = requests.Session()\ns = object()\ns.get(u)\n",
        "SCI401",
    );
}

#[test]
fn shadowing_stops_resolution() {
    silent(
        "import numpy as np\ndef f(np):\n    np.load(x, allow_pickle=True)\n",
        "SCI202",
    );
    silent(
        "import pickle\ndef f():\n    pickle = Safe()\n    pickle.loads(b)\n",
        "SCI201",
    );
    silent("import pickle\nclass C:\n    def loads(self, b): ...\n    def g(self, b):\n        return self.loads(b)\n", "SCI201");
    silent(
        "import pickle\n[pickle.loads(b) for pickle in codecs]\n",
        "SCI201",
    );
    silent(
        "import pickle\nf = lambda pickle: pickle.loads(b)\n",
        "SCI201",
    );
    silent("def eval(x):\n    return x\neval(data)\n", "SCI211");
    // Shadowing inside one function does not leak into another.
    fires(
        "import pickle\ndef f(pickle):\n    pass\ndef g(b):\n    return pickle.loads(b)\n",
        "SCI201",
        5,
    );
}

#[test]
fn function_bodies_see_imports_below_them() {
    fires(
        "def f(b):\n    return pickle.loads(b)\nimport pickle\n",
        "SCI201",
        2,
    );
    fires("def outer():\n    def inner(b):\n        return yaml.unsafe_load(b)\n    return inner\nimport yaml\n", "SCI210", 3);
}

#[test]
fn globals_and_class_scopes() {
    fires("import pickle\ndef setup():\n    global loader\n    loader = pickle.loads\ndef use(b):\n    return loader(b)\n", "SCI201", 6);
    // A class attribute is not visible from a method body.
    fires("import pickle\nclass C:\n    pickle = None\n    def m(self, b):\n        return pickle.loads(b)\n", "SCI201", 5);
}

#[test]
fn constants_are_folded() {
    silent("import os\nCMD = 'ls -l'\nos.system(CMD)\n", "SCI217");
    silent("import os\nos.system('ls ' + '-l')\n", "SCI217");
    silent(
        "import subprocess\nsubprocess.run(['ls', '-l'], shell=True)\n",
        "SCI217",
    );
    silent("eval(f'1 + 2')\n", "SCI211");
    fires("import os\nos.system(f'ls {d}')\n", "SCI217", 2);
    fires(
        "import os\nCMD = 'ls'\nCMD = input()\nos.system(CMD)\n",
        "SCI217",
        4,
    );
}

#[test]
fn a_half_written_snippet_is_still_checked() {
    let found = codes_by_line("import pickle\ndef f(:\n    data = pickle.loads(payload)\n");
    assert!(found.iter().any(|(_, c)| c == "SCI000"), "{found:?}");
    assert!(found.contains(&(3, "SCI201".to_string())), "{found:?}");
}

#[test]
fn suppression_comments() {
    silent("import pickle\npickle.loads(b)  # noqa\n", "SCI201");
    silent("import pickle\npickle.loads(b)  # noqa: SCI201\n", "SCI201");
    silent("import pickle\npickle.loads(b)  # nosec\n", "SCI201");
    silent("import pickle\npickle.loads(b)  # nosec B301\n", "SCI201");
    fires(
        "import pickle\npickle.loads(b)  # noqa: SCI202\n",
        "SCI201",
        2,
    );
    fires(
        "import pickle\npickle.loads(b)  # nosec B602\n",
        "SCI201",
        2,
    );
    // On a multi-line statement, the first or the last line counts.
    silent(
        "import requests\nr = requests.get(  # noqa: SCI401\n    url,\n    params=p,\n)\n",
        "SCI401",
    );
    silent(
        "import requests\nr = requests.get(\n    url,\n    params=p,\n)  # noqa: SCI401\n",
        "SCI401",
    );
    fires(
        "import requests\nr = requests.get(\n    url,  # noqa: SCI401\n    params=p,\n)\n",
        "SCI401",
        2,
    );
}

#[test]
fn fixes_apply_cleanly() {
    let registry = Registry::builtin();
    let cases = [
        (
            "import numpy as np\nx = np.load(f, allow_pickle=True)\n",
            "import numpy as np\nx = np.load(f)\n",
        ),
        (
            "import numpy as np\nx = np.load(f, None, True)\n",
            "import numpy as np\nx = np.load(f, None, True)\n",
        ),
        (
            "import torch\nm = torch.load(p)\n",
            "import torch\nm = torch.load(p, weights_only=True)\n",
        ),
        (
            "import torch\nm = torch.load(p, weights_only=False)\n",
            "import torch\nm = torch.load(p, weights_only=True)\n",
        ),
        (
            "import yaml\nc = yaml.load(f)\n",
            "import yaml\nc = yaml.safe_load(f)\n",
        ),
        (
            "import requests\nr = requests.get(u, timeout=None)\n",
            "import requests\nr = requests.get(u, timeout=(3.05, 30))\n",
        ),
        (
            "import requests\nr = requests.get(u, verify=False, timeout=3)\n",
            "import requests\nr = requests.get(u, verify=True, timeout=3)\n",
        ),
        (
            "def f(x):\n    \"\"\"Doc.\"\"\"\n    assert x > 0, 'x must be positive'\n",
            "def f(x):\n    \"\"\"Doc.\"\"\"\n    if not (x > 0):\n        raise ValueError('x must be positive')\n",
        ),
    ];
    for (before, after) in cases {
        let findings = sciguard::check_python(before, registry, &RuleSet::all(registry));
        let (fixed, _) = sciguard::apply_fixes(before, &findings);
        assert_eq!(fixed, after, "fixing:\n{before}");
        // The fixed text parses and no longer has the fixed finding.
        let again = sciguard::check_python(&fixed, registry, &RuleSet::all(registry));
        assert!(
            !again
                .iter()
                .any(|f| f.fix.is_some()
                    && findings.iter().any(|g| g.code == f.code && g.fix.is_some())),
            "{again:#?}"
        );
    }
}

#[test]
fn near_misses_seen_in_real_scientific_code() {
    // pandas' test suite: queries given as callables, pickle round-trips, default DB passwords.
    silent(
        "import pandas as pd\ndf = pd.read_csv(p)\ndf.query(lambda d: d.B == 'b')\n",
        "SCI212",
    );
    silent(
        "import pickle\nassert pickle.loads(pickle.dumps(obj)) == obj\n",
        "SCI201",
    );
    fires("import pickle\nobj = pickle.loads(blob)\n", "SCI201", 2);
    silent(
        "URI = 'postgresql://postgres:postgres@localhost:5432/pandas'\n",
        "SCI224",
    );
    fires("URI = 'https://bob:Xk9#pq2Lm@db.internal/x'\n", "SCI224", 1);
}

#[test]
fn conditional_rebinding_keeps_what_any_path_could_leave() {
    // The optional-dependency idiom keeps the import.
    fires("try:\n    import torch\nexcept ImportError:\n    torch = None\ndef load(p):\n    return torch.load(p, weights_only=False)\n", "SCI205", 6);
    // A constant fallback does not make a user value constant.
    fires(
        "import os, sys\ncmd = sys.argv[1]\nif not cmd:\n    cmd = 'nvidia-smi'\nos.system(cmd)\n",
        "SCI217",
        5,
    );
    // Straight-line rebinding still replaces.
    silent(
        "import os\ncmd = input()\ncmd = 'ls'\nos.system(cmd)\n",
        "SCI217",
    );
}

#[test]
fn noqa_on_a_compound_header_means_the_header() {
    silent("import numpy as np\ndef c(\n    weights=np.ones(3),\n):  # noqa: SCI104\n    weights += 1\n", "SCI104");
    fires("import numpy as np\ndef c(\n    weights=np.ones(3),\n):\n    weights += 1  # noqa: SCI104\n", "SCI104", 3);
    silent("import numpy as np\nwith np.load(\n    path, allow_pickle=True\n) as npz:  # noqa: SCI202\n\n    # a comment between header and body\n    x = npz['x']\n", "SCI202");
}

#[test]
fn rule_specific_cases_from_fixtures() {
    silent("MASK_TOKEN = '[MASK]'\nTOKEN_ENCODING = 'cl100k_base'\nPASSWORD_HASHER = 'argon2id'\nv = TfidfVectorizer(token_pattern=r'[a-zA-Z]{2,}')\n", "SCI224");
    fires("run = 3\npath = f'/tmp/{run}/ckpt.pt'\n", "SCI229", 2);
    silent("if path.startswith('/tmp/'):\n    pass\n", "SCI229");
    silent("import os\nos.path.join('/tmp', name)\n", "SCI229");
    fires(
        "import warnings\nwarnings.simplefilter('ignore', Warning)\n",
        "SCI302",
        2,
    );
    fires(
        "import warnings\nwarnings.filterwarnings('ignore', category=Warning)\n",
        "SCI302",
        2,
    );
    let registry = Registry::builtin();
    let relative = sciguard::check_python(
        "from ..pkg.mod import *\n",
        registry,
        &RuleSet::all(registry),
    );
    assert!(
        relative[0].message.starts_with("`from ..pkg.mod import *`"),
        "{}",
        relative[0].message
    );
    // No assert fix when another statement follows on the line.
    let found = sciguard::check_python(
        "def f(w):\n    \"\"\"Doc.\"\"\"\n    assert w % 2 == 1; w = int(w)\n",
        registry,
        &RuleSet::all(registry),
    );
    assert!(
        found.iter().any(|f| f.code == "SCI225" && f.fix.is_none()),
        "{found:#?}"
    );
}

#[test]
fn instance_attributes_set_in_one_method_resolve_in_another() {
    let client = "import requests\nclass Client:\n    def __init__(self, base):\n        self.base = base\n        self.session = requests.Session()\n    def fetch(self, path):\n        return self.session.get(self.base + path)\n    def insecure(self):\n        self.session.verify = False\n";
    fires(client, "SCI401", 7);
    fires(client, "SCI218", 9);
    // Another object's attribute of the same name is not the session.
    silent("import requests\nclass Client:\n    def __init__(self):\n        self.session = requests.Session()\n    def fetch(self, other):\n        return other.session.get(u)\n", "SCI401");
    silent("import requests\nclass Client:\n    def __init__(self):\n        self.session = requests.Session()\n    @staticmethod\n    def fetch(self):\n        return self.session.get(u)\n", "SCI401");
}

#[test]
fn clause_headers_and_new_bindings_from_review() {
    // `# noqa` on an `if` does not reach its `elif` or a `try`'s handlers.
    fires(
        "import requests\nif a:  # noqa: SCI401\n    pass\nelif requests.get(u).ok:\n    pass\n",
        "SCI401",
        4,
    );
    fires(
        "try:  # noqa\n    x = 1\nexcept Exception:\n    pass\n",
        "SCI405",
        3,
    );
    silent(
        "try:\n    x = 1\nexcept Exception:  # noqa: SCI405\n    pass\n",
        "SCI405",
    );
    // Match captures and walrus targets bind names.
    fires("import subprocess as sp\ncmd = 'ls'\nmatch x:\n    case {'c': cmd}:\n        pass\nsp.run(cmd, shell=True)\n", "SCI217", 6);
    silent(
        "import pickle\nmatch x:\n    case pickle:\n        pickle.loads(b)\n",
        "SCI201",
    );
    fires(
        "import os\ncmd = 'ls'\n[cmd := input() for _ in x]\nos.system(cmd)\n",
        "SCI217",
        4,
    );
}

#[test]
fn names_reached_with_constant_text_resolve() {
    fires(
        "import pickle\nobj = getattr(pickle, 'loads')(blob)\n",
        "SCI201",
        2,
    );
    fires("obj = __import__('pickle').loads(blob)\n", "SCI201", 1);
    fires(
        "import importlib\nyaml = importlib.import_module('yaml')\nc = yaml.load(f)\n",
        "SCI210",
        3,
    );
    fires(
        "import importlib\nc = importlib.import_module('yaml').load(f)\n",
        "SCI210",
        2,
    );
    // Text that is not constant names nothing.
    silent(
        "import pickle\nobj = getattr(pickle, name)(blob)\n",
        "SCI201",
    );
    silent("obj = __import__(module).loads(blob)\n", "SCI201");
}

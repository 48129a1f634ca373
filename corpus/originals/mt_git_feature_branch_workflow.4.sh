git clone --branch main --depth 1 https://github.com/example-org/sample-app.git

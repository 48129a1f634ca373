git clone https://github.com/example-org/sample-app.git
cd sample-app
git checkout -b feature/login
pip install -r requirements.txt

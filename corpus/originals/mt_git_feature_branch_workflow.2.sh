git add .
git commit -m "Add login form"
git push origin feature/login

git fetch origin
git rebase origin/main
git push --force-with-lease origin feature/login

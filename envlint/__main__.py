from envlint.cli import main

main()

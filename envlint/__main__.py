from envlint._entry import main

main()

from rcrp.cli import main

main()

module billbridge

go 1.26.8

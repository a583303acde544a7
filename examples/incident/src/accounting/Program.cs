using Accounting;

Console.WriteLine("Accounting service started");

using var consumer = new Consumer();
consumer.StartListening();

// SPDX-License-Identifier: Apache-2.0
// Embedded tables of the synthetic council: given names by community, sex and birth cohort,
// surnames (including hyphenated and multi-part ones), nicknames, streets and towns.

#include "earlyhelp/synth/detail/tables.hpp"

#include <string_view>

namespace earlyhelp::synth::detail {
namespace {

using sv = std::string_view;

template <std::size_t N>
constexpr Table table(const sv (&a)[N]) noexcept {
  return Table{a, N};
}

// ---- given names ---------------------------------------------------------------------------
const sv wb_f_old[] = {"Susan", "Margaret", "Patricia", "Elizabeth", "Sarah", "Karen", "Julie",
                       "Deborah", "Tracey", "Nicola", "Joanne", "Lisa", "Helen", "Amanda",
                       "Claire", "Michelle", "Jennifer", "Catherine", "Rebecca", "Victoria",
                       "Samantha", "Emma", "Kelly", "Dawn", "Angela", "Jacqueline", "Christine",
                       "Gillian", "Louise", "Katherine", "Alison", "Rachel", "Donna", "Wendy",
                       "Janet", "Linda", "Carol", "Sharon", "Mary", "Anne"};
const sv wb_f_new[] = {"Olivia", "Amelia", "Isla", "Ava", "Emily", "Sophia", "Grace", "Lily",
                       "Freya", "Ella", "Mia", "Charlotte", "Poppy", "Evie", "Isabella", "Jessica",
                       "Sophie", "Chloe", "Ruby", "Lucy", "Megan", "Hannah", "Holly", "Abigail",
                       "Daisy", "Phoebe", "Millie", "Scarlett", "Erin", "Alice", "Florence",
                       "Matilda", "Rosie", "Evelyn", "Willow", "Lauren", "Bethany", "Amy",
                       "Katie", "Eleanor"};
const sv wb_m_old[] = {"David", "John", "Paul", "Mark", "Michael", "Andrew", "Stephen", "Peter",
                       "Robert", "Richard", "Ian", "Gary", "Christopher", "Darren", "Lee", "Simon",
                       "Martin", "Neil", "Kevin", "Anthony", "William", "James", "Thomas", "Jason",
                       "Craig", "Stuart", "Matthew", "Daniel", "Philip", "Graham", "Keith",
                       "Colin", "Alan", "Brian", "Nicholas", "Edward", "Jonathan", "Wayne",
                       "Dean", "Shaun"};
const sv wb_m_new[] = {"Oliver", "George", "Harry", "Noah", "Jack", "Leo", "Arthur", "Oscar",
                       "Charlie", "Jacob", "Thomas", "Freddie", "Alfie", "Theo", "William",
                       "Joshua", "James", "Henry", "Archie", "Ethan", "Samuel", "Alexander",
                       "Benjamin", "Daniel", "Joseph", "Lewis", "Callum", "Ryan", "Jake",
                       "Liam", "Connor", "Kieran", "Tyler", "Max", "Finley", "Logan", "Mason",
                       "Riley", "Matthew", "Luke"};
const sv wo_f[] = {"Anna", "Maria", "Agnieszka", "Katarzyna", "Magdalena", "Joanna", "Ewa",
                   "Monika", "Zuzanna", "Julia", "Natalia", "Alina", "Ioana", "Elena", "Andreea",
                   "Ruta", "Ieva", "Ana", "Ines", "Beatriz", "Olena", "Daria", "Kinga", "Oliwia"};
const sv wo_m[] = {"Piotr", "Tomasz", "Krzysztof", "Pawel", "Michal", "Marcin", "Jakub",
                   "Kacper", "Szymon", "Andrei", "Ionut", "Mihai", "Alexandru", "Darius",
                   "Tomas", "Mantas", "Joao", "Pedro", "Tiago", "Oleksandr", "Dmytro", "Filip",
                   "Antoni", "Marek"};
const sv sa_f[] = {"Fatima", "Aisha", "Ayesha", "Zainab", "Maryam", "Sana", "Amina", "Nasreen",
                   "Shazia", "Rukhsana", "Farzana", "Nadia", "Hafsa", "Inaya", "Zara", "Samina",
                   "Parveen", "Khadija", "Safiya", "Iqra"};
const sv sa_m[] = {"Mohammed", "Muhammad", "Ahmed", "Ali", "Imran", "Tariq", "Asif", "Zubair",
                   "Bilal", "Hamza", "Ibrahim", "Yusuf", "Kamran", "Shahid", "Abdul", "Rayyan",
                   "Zayn", "Ayaan", "Usman", "Adnan"};
const sv hi_f[] = {"Priya", "Anjali", "Pooja", "Sunita", "Asha", "Roshni", "Kavita", "Meera",
                   "Nisha", "Divya", "Anaya", "Aarna", "Riya", "Shreya"};
const sv hi_m[] = {"Rahul", "Arjun", "Sanjay", "Rajesh", "Vikram", "Amit", "Ravi", "Nikhil",
                   "Deepak", "Aarav", "Vihaan", "Krish", "Rohan", "Dev"};
const sv si_f[] = {"Harpreet", "Gurpreet", "Simran", "Jaspreet", "Manpreet", "Amrit", "Navdeep",
                   "Kiran", "Harleen", "Jasleen"};
const sv si_m[] = {"Harjit", "Gurdeep", "Sukhdev", "Jaswinder", "Manjit", "Ranjit", "Harvinder",
                   "Amarjit", "Jaskaran", "Arjan"};
const sv bl_f[] = {"Grace", "Blessing", "Chioma", "Adaeze", "Ngozi", "Funmilayo", "Abena",
                   "Ama", "Fatoumata", "Aminata", "Hodan", "Sagal", "Marcia", "Jasmine",
                   "Shanice", "Tiana", "Precious", "Esther", "Comfort", "Nia", "Imani",
                   "Amara", "Kemi", "Tanisha"};
const sv bl_m[] = {"Emmanuel", "Samuel", "Daniel", "Chinedu", "Oluwaseun", "Tunde", "Kwame",
                   "Kofi", "Abdi", "Mohamed", "Mamadou", "Tyrone", "Marcus", "Andre", "Jermaine",
                   "Delroy", "Winston", "Nathaniel", "Joshua", "Isaac", "David", "Femi",
                   "Ikenna", "Kelechi"};
const sv ea_f[] = {"Mei", "Li", "Xinyi", "Yan", "Hui", "Jing", "Ling", "Thi", "Linh", "Anh",
                   "Jia", "Wen"};
const sv ea_m[] = {"Wei", "Jun", "Hao", "Ming", "Jian", "Chen", "Minh", "Tuan", "Duc", "Kai",
                   "Yi", "Lei"};
const sv ar_f[] = {"Fatima", "Mariam", "Noor", "Layla", "Huda", "Rania", "Amira", "Salma",
                   "Yasmin", "Hana", "Leila", "Dina"};
const sv ar_m[] = {"Omar", "Ahmed", "Khalid", "Youssef", "Hassan", "Mustafa", "Karim", "Samir",
                   "Tariq", "Walid", "Nabil", "Ziad"};

// ---- surnames ------------------------------------------------------------------------------
const sv s_wb[] = {"Smith", "Jones", "Taylor", "Brown", "Williams", "Wilson", "Johnson", "Davies",
                   "Robinson", "Wright", "Thompson", "Evans", "Walker", "White", "Roberts",
                   "Green", "Hall", "Wood", "Jackson", "Clarke", "Harris", "Lewis", "Hughes",
                   "Edwards", "Turner", "Hill", "Moore", "Cooper", "Ward", "Morris", "King",
                   "Baker", "Harrison", "Morgan", "Patel", "Young", "Allen", "Mitchell", "James",
                   "Anderson", "Phillips", "Lee", "Bell", "Parker", "Watson", "Davis", "Bennett",
                   "Cook", "Carter", "Shaw", "Price", "Griffiths", "Kelly", "Richardson",
                   "Marshall", "Collins", "Murphy", "Chapman", "Mason", "Stevens", "Ellis",
                   "Webb", "Pearce", "Fletcher", "Holmes", "Knight", "Barker", "Palmer",
                   "Fisher", "Gibson", "Lloyd", "Saunders", "Hunt", "Lawrence", "Simpson",
                   "Mills", "Dixon", "Butler", "Gray", "Reid", "Hunter", "Campbell", "Stewart",
                   "MacDonald", "McDonald", "O'Brien", "O'Connor", "O'Neill", "McCarthy",
                   "Fitzgerald", "Smith-Jones", "Bowes-Lyon", "Hamilton-Smith", "Lloyd-Webber",
                   "Taylor-Green", "Ap Rhys", "St John", "Le Breton", "De Souza", "Jenkins",
                   "Payne", "Dawson", "Gardner", "Sutton", "Sullivan", "Doyle", "Brennan",
                   "Hewitt", "Foster", "Rose", "Lamb", "Nash", "Bishop", "Hayes", "Burton"};
const sv s_wo[] = {"Nowak", "Kowalski", "Wisniewski", "Wojcik", "Kowalczyk", "Kaminski",
                   "Lewandowski", "Zielinski", "Szymanski", "Wozniak", "Popescu", "Ionescu",
                   "Popa", "Stan", "Dumitru", "Kazlauskas", "Jankauskas", "Silva", "Santos",
                   "Ferreira", "Pereira", "Costa", "Oliveira", "Shevchenko", "Bondarenko",
                   "Kovalenko", "Horvath", "Nagy", "Van der Berg", "De Jong"};
const sv s_sa[] = {"Khan", "Ahmed", "Hussain", "Ali", "Shah", "Iqbal", "Mahmood", "Akhtar",
                   "Rahman", "Islam", "Chowdhury", "Uddin", "Miah", "Malik", "Butt", "Choudhry",
                   "Ul-Haq", "Abdul Rahman", "Sheikh", "Qureshi", "Aziz", "Nawaz", "Rashid"};
const sv s_hi[] = {"Patel", "Sharma", "Mistry", "Kumar", "Gupta", "Mehta", "Desai", "Shah",
                   "Joshi", "Parmar", "Chauhan", "Solanki", "Lad", "Rao"};
const sv s_si[] = {"Singh", "Gill", "Sandhu", "Bains", "Dhillon", "Sidhu", "Johal", "Atwal",
                   "Grewal", "Sahota"};
const sv s_bl[] = {"Okafor", "Adeyemi", "Okonkwo", "Mensah", "Owusu", "Boateng", "Asante",
                   "Adebayo", "Olaniyan", "Eze", "Nwosu", "Diallo", "Traore", "Mohamed", "Abdi",
                   "Osman", "Campbell", "Brown", "Williams", "Thomas", "Francis", "Henry",
                   "Grant", "Bailey", "Clarke", "Johnson", "Robinson", "Ogunleye",
                   "Akinola", "Danso"};
const sv s_ea[] = {"Wang", "Li", "Zhang", "Chen", "Liu", "Yang", "Huang", "Wong", "Chan", "Lam",
                   "Cheung", "Nguyen", "Tran", "Pham", "Le", "Ng", "Lin", "Zhou"};
const sv s_ar[] = {"Al-Sayed", "Hassan", "Abdullah", "Ibrahim", "Mahmoud", "Haddad",
                   "Al-Masri", "Khalil", "Nasser", "Saleh", "El-Amin", "Abu Bakr", "Mansour",
                   "Farouk", "Aziz", "Qasim"};

// ---- nicknames: formal name followed by its informal forms, "" ends a group ------------------
const sv nick_groups[] = {
    "William", "Bill", "Will", "Billy", "", "Robert", "Bob", "Rob", "Bobby", "",
    "Elizabeth", "Liz", "Beth", "Lizzie", "", "Margaret", "Maggie", "Peggy", "",
    "James", "Jim", "Jimmy", "Jamie", "", "Thomas", "Tom", "Tommy", "", "Michael", "Mike",
    "Mick", "", "Richard", "Rick", "Dick", "Richie", "", "Katherine", "Kate", "Kathy", "",
    "Catherine", "Cathy", "Cath", "", "Jennifer", "Jenny", "Jen", "", "Christopher", "Chris",
    "", "Daniel", "Dan", "Danny", "", "Matthew", "Matt", "", "Anthony", "Tony", "",
    "Joseph", "Joe", "Joey", "", "Samuel", "Sam", "Sammy", "", "Alexander", "Alex", "Xander",
    "", "Benjamin", "Ben", "", "Jonathan", "Jon", "Jonny", "", "Edward", "Ed", "Ted",
    "Eddie", "", "Rebecca", "Becky", "Becca", "", "Victoria", "Vicky", "Tori", "",
    "Charlotte", "Lottie", "Charlie", "", "Susan", "Sue", "Susie", "", "Patricia", "Pat",
    "Trish", "", "Deborah", "Debbie", "Deb", "", "Stephen", "Steve", "", "Nicholas", "Nick",
    "", "Andrew", "Andy", "Drew", "", "David", "Dave", "Davey", "", "Peter", "Pete", "",
    "Jessica", "Jess", "", "Abigail", "Abbie", "Abi", "", "Samantha", "Sam", "Sammie", "",
    "Oliver", "Ollie", "", "Henry", "Harry", "Hal", "", "Frederick", "Fred", "Freddie", "",
    "Mohammed", "Mo", "Mohd", "", "Muhammad", "Mo", "Md", "", "Amelia", "Millie", "Amy", "",
    "Isabella", "Bella", "Izzy", "", "Eleanor", "Ellie", "Nell", "", "Jacqueline", "Jackie",
    "", "Christine", "Chris", "Chrissie", "", "Philip", "Phil", "", "Nicola", "Nicky",
    "Nikki", "", "Joanne", "Jo", "", "Gillian", "Gill", "", "Kacper", "Kacperek", "",
    "Oleksandr", "Sasha", "", "Ibrahim", "Ibby", "", "Emmanuel", "Manny", "", "Nathaniel",
    "Nate", "Nat", "", "Archibald", "Archie", "", "Theodore", "Theo", ""};

// ---- streets and towns ---------------------------------------------------------------------
const sv stems[] = {"Church", "Mill", "Station", "High", "Park", "Victoria", "Queens", "Kings",
                    "Manor", "Chapel", "School", "Orchard", "Meadow", "Beech", "Oak", "Ash",
                    "Elm", "Willow", "Cedar", "Maple", "Hawthorn", "Rowan", "Holly", "Ivy",
                    "Priory", "Abbey", "Castle", "Bridge", "Brook", "River", "Harbour", "Quay",
                    "Market", "Albert", "York", "Windsor", "Grange", "Farm", "Green", "Hill",
                    "Springfield", "Riverside", "Westfield", "Eastgate", "Northgate",
                    "Southview", "Highfield", "Fairview", "Glebe", "Rectory", "Vicarage",
                    "Coronation", "Jubilee", "Nelson", "Wellington", "Cromwell", "Tudor",
                    "Stuart", "Lancaster", "Cambridge", "Oxford", "Essex", "Kent", "Suffolk",
                    "Norfolk", "Primrose", "Bluebell", "Foxglove", "Heather", "Lavender",
                    "Kingfisher", "Swallow", "Heron", "Falcon", "Badger", "Otter", "Fieldfare",
                    "Copperfield", "Dickens", "Constable", "Gainsborough", "Turner", "Elgar",
                    "Shakespeare", "Milton", "Chaucer", "Tennyson", "Wordsworth", "Keats",
                    "Byron", "Shelley", "Brunel", "Telford", "Stephenson", "Darwin", "Newton"};
const sv suffixes[] = {"Road", "Street", "Lane", "Avenue", "Close", "Drive", "Way", "Gardens",
                       "Crescent", "Court", "Place", "Grove", "Terrace", "Walk", "Rise", "View",
                       "Mews", "Square", "Hill", "Row"};

// A fictional county on real postcode-area letters: shares and urban character chosen so the
// county has a deprived, diverse town centre, market towns and villages.
const Town towns_[] = {
    {"Colbridge", "CO", 1, 16, 0.22, 0.95},  {"Chelmbury", "CM", 1, 24, 0.18, 0.85},
    {"Southwick-on-Sea", "SS", 1, 17, 0.14, 0.90}, {"Harwick", "CO", 11, 6, 0.07, 0.55},
    {"Braintham", "CM", 7, 3, 0.06, 0.45}, {"Maldon Ferrers", "CM", 9, 1, 0.04, 0.35},
    {"Witham St Mary", "CM", 8, 1, 0.04, 0.40}, {"Saffron Thaxted", "CB", 10, 2, 0.04, 0.20},
    {"Billericay Green", "CM", 11, 2, 0.05, 0.40}, {"Clacton Sands", "CO", 15, 2, 0.07, 0.70},
    {"Dunmow", "CM", 6, 1, 0.03, 0.15}, {"Tiptree Heath", "CO", 5, 1, 0.03, 0.10},
    {"Rayleigh Wick", "SS", 6, 3, 0.05, 0.50}, {"Epping Ley", "CM", 16, 1, 0.04, 0.30},
};

}  // namespace

Table first_names(int community, int male, int cohort) noexcept {
  switch (community) {
    case community_white_british:
      if (male) return cohort ? table(wb_m_new) : table(wb_m_old);
      return cohort ? table(wb_f_new) : table(wb_f_old);
    case community_white_other: return male ? table(wo_m) : table(wo_f);
    case community_south_asian: return male ? table(sa_m) : table(sa_f);
    case community_indian_hindu: return male ? table(hi_m) : table(hi_f);
    case community_indian_sikh: return male ? table(si_m) : table(si_f);
    case community_black: return male ? table(bl_m) : table(bl_f);
    case community_east_asian: return male ? table(ea_m) : table(ea_f);
    case community_arab: return male ? table(ar_m) : table(ar_f);
    default: return male ? table(wb_m_new) : table(wb_f_new);
  }
}

Table surnames(int community) noexcept {
  switch (community) {
    case community_white_british: return table(s_wb);
    case community_white_other: return table(s_wo);
    case community_south_asian: return table(s_sa);
    case community_indian_hindu: return table(s_hi);
    case community_indian_sikh: return table(s_si);
    case community_black: return table(s_bl);
    case community_east_asian: return table(s_ea);
    case community_arab: return table(s_ar);
    default: return table(s_wb);
  }
}

Table nicknames(std::string_view first_name) noexcept {
  constexpr std::size_t n = sizeof(nick_groups) / sizeof(nick_groups[0]);
  std::size_t i = 0;
  while (i < n) {
    std::size_t end = i;
    while (end < n && !nick_groups[end].empty()) ++end;
    if (nick_groups[i] == first_name) return Table{nick_groups + i + 1, end - i - 1};
    i = end + 1;
  }
  return Table{};
}

Table street_stems() noexcept { return table(stems); }
Table street_suffixes() noexcept { return table(suffixes); }

const Town* towns(std::size_t& n) noexcept {
  n = sizeof(towns_) / sizeof(towns_[0]);
  return towns_;
}

}  // namespace earlyhelp::synth::detail

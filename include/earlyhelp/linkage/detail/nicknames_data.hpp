// SPDX-License-Identifier: Apache-2.0
#pragma once

// Built-in English forename alias table: one group per line, the formal name first, then its
// common short forms, diminutives and spelling variants (lower case, ASCII after folding).
// A name may appear in several groups (al: albert, alfred, alan, alexander), and equivalence is
// "shares a group". Compiled by hand from common usage in England and Wales; extend by adding
// lines. Keep each line's first name the formal form: canonical_forenames() returns it.

#include <string_view>

namespace earlyhelp::linkage::detail {

inline constexpr std::string_view nickname_groups = R"(abigail abby abbie abi gail
abraham abe bram
adam ad
adrian ade
agnes aggie nessa nessie
albert al bert bertie
alexander alex alec alastair alistair alasdair sandy sasha lex xander al
alexandra alex alexa sandra sandy sasha lexi lexie
alfred alf alfie al fred freddie
alice ally allie alicia
alison ali allie ally
amanda mandy manda
amelia amy millie mia emilia
andrew andy drew
angela angie
anne ann annie anna nan nancy nanette
anthony tony ant
antonia toni
archibald archie
arthur art artie
barbara barb babs barbie
barnaby barney
bartholomew bart
beatrice bea bee trixie
benjamin ben benny benji
bernard bernie barney
bertram bert bertie
beverley bev
bridget bridie biddy
caroline carol carrie caz carolyn
catherine cathy kate katie kathy cath kat kitty katherine kathryn katharine katy
cecilia cissy cecily celia
charles charlie chas chuck chaz carl
charlotte charlie lottie lotte char
christina chris chrissie tina kristina
christine chris chrissie tina kirsty
christopher chris kit topher
clare claire clara
clarence clarrie
clifford cliff
daniel dan danny
david dave davy dai davie davey
deborah debbie debs deb debra
dennis den denny
derek del
diana di diane dianne
dominic dom
donald don donnie
dorothy dot dottie dolly dora
douglas doug dougie
edith edie
edmund ed eddie ned ted edmond
edward ed eddie ted teddy ned ward
edwin ed eddie win
eleanor ellie nell nellie ella elle elinor nora
elizabeth liz lizzie beth betty bess bessie betsy eliza libby lisa liza lily elspeth isobel elisabeth
ellen ellie nell nellie helen
emily em emmy millie emilie
emma em emmie
emmanuel manny
eric rick ricky
ernest ernie
esther essie hetty
eugene gene
evelyn evie eve
florence flo florrie flossie
frances fran fanny frankie
francis frank frankie fran
frederick fred freddie freddy fritz rick
gabriel gabe gabby
gabrielle gabby gabi
geoffrey geoff jeff jeffrey jeffery
george georgie geordie
georgina georgie gina
gerald gerry jerry ged
geraldine gerry jerry
gertrude gertie trudy
gilbert gil bert
gillian gill jill gilly jillian
gordon gordy
gregory greg
gwendolyn gwen wendy
harold harry hal
harriet hattie harry
henry harry hank hal hen
herbert herb bert
hilary hilly
howard howie
hubert hugh bert
hugh hughie
ibrahim ibby
isaac ike zac
isabel isabella izzy bella isobel issy belle isabelle
jacob jake jack
jacqueline jackie jacqui
james jim jimmy jamie jem jas
jane jenny jen janie jean
janet jan jenny netty
jeffrey jeff geoff
jennifer jen jenny jenna
jeremy jerry jez
jessica jess jessie
joan joanie
joanna jo jojo joanne
john jack johnny jon ian sean jock
jonathan jon jonny nathan
joseph joe joey jo
josephine jo josie jojo
joshua josh
judith judy jude
julia julie jules
julian jules
kacper kacperek
katherine kate katie kathy kat kitty kay catherine
kenneth ken kenny
kimberley kim
laurence larry laurie lawrence lol
leonard len lenny leo
leslie les
lewis lew lou louis
lillian lily lil
louis lou louie lewis
louisa lou lulu louise
louise lou lulu louisa
lucy lou lucie lucinda
luke luc
madeleine maddie madge madeline
malcolm mal
margaret maggie meg peggy margie marge madge maisie daisy greta rita molly mags
marjorie marge margie
martin marty
mary molly polly mae may mamie maria marie
matilda tilly tilda mattie
matthew matt matty mat
maureen mo
maximilian max
maxwell max
melissa mel missy
michael mike mick micky mikey mitch
michelle shelly michele
mohammed mo mohd md
muhammad mo mohd md
nathaniel nat nate nathan
nicholas nick nicky nico
nicola nicky nikki nichola
norman norm
oleksandr sasha olek
oliver ollie olly noll
olivia liv livvy ollie
pamela pam
patricia pat patty trish tricia patsy
patrick pat paddy patsy
penelope penny
peter pete
philip phil pip phillip
philippa pippa pip phillipa
rachel rach
raymond ray
rebecca becky becca bex
reginald reg reggie
richard dick rick ricky rich richie dickie
robert bob rob bobby robbie bert rab
roberta bobbie robbie
roderick rod roddy
rodney rod
ronald ron ronnie
rosalind ros roz
rosemary rose rosie
ruth ruthie
samantha sam sammy sammie
samuel sam sammy
sarah sally sadie sara
sebastian seb
sidney sid
simon si
sophia sophie sophy
stanley stan
stephanie steph stevie
stephen steve stevie steven
stuart stu stewart
susan sue susie suzy suzanne
sylvia syl
terence terry tel
theodore theo ted teddy
theresa tess tessa terri tracy teresa
thomas tom tommy
timothy tim timmy
valerie val
victor vic
victoria vicky vicki tori vikki
vincent vince vinny
violet vi
virginia ginny ginger
walter walt wally
wilfred wilf fred
william bill billy will willie willy liam wil
winifred winnie freda
yvonne vonnie
zachary zach zack zac
)";

}  // namespace earlyhelp::linkage::detail
